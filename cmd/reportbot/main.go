// Command reportbot answers questions about a government work report by
// quoting the report's own paragraphs: on the command line (ask, index,
// eval, bench, digest) and on Telegram (serve).
//
// main only calls run, so every subcommand can be tested in-process.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError is bad input from the person running the command: it is
// reported with the subcommand's usage and exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errSilent is an exit status with nothing more to print (eval below its
// thresholds has already said why).
var errSilent = errors.New("")

func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "reportbot:", ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "reportbot:", err)
		return 1
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is what a subcommand may touch: no globals.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"ask", "answer questions from the report (arguments, or one per line on stdin)", runAsk},
		{"index", "load the reports and show what was loaded and how long it took", runIndex},
		{"figures", "show a report's key figures: targets and last year's results", runFigures},
		{"eval", "score answer quality on a question set (JSON lines)", runEval},
		{"bench", "measure search speed, start-up time and memory", runBench},
		{"serve", "run the Telegram bot (needs TELEGRAM_TOKEN)", runServe},
		{"digest", "print the daily digest for a date, with no Telegram", runDigest},
		{"healthcheck", "check a running bot's /healthz (for Docker)", runHealthcheck},
		{"help", "show this help", nil},
	}
}

const usageHead = `reportbot answers questions about 重庆市渝中区人民政府工作报告 (2024年1月15日)
by quoting the report's own paragraphs.

Usage: reportbot <command> [flags] [arguments]

Commands:
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "reportbot <command> -h" for a command's flags.

Environment:
  REPORTS_DIR   folder of extra .txt/.md reports to answer from, beside the
                embedded one (also --reports)
  INDEX_DIR     folder where each version of the reports' search index is
                saved once and opened from then on (default: the user's
                cache folder)
`)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, env, args[1:])
		}
	}
	printUsage(stderr)
	return usagef("unknown command %q", name)
}
