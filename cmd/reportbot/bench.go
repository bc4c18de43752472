package main

import "context"

func runBench(ctx context.Context, env *environment, args []string) error {
	return usagef("bench: not yet")
}
