package bot

import (
	"testing"

	"reportbot/handlers"
)

// Every command of handlers.Commands has a handler, and every handler a
// command: the menu, /help and the routes name the same commands.
func TestEveryCommandRouted(t *testing.T) {
	routes := (&Bot{}).commandRoutes()
	names := map[string]bool{}
	for _, c := range handlers.Commands {
		if names[c.Name] {
			t.Errorf("/%s is twice in handlers.Commands", c.Name)
		}
		names[c.Name] = true
		if _, ok := routes[c.Name]; !ok {
			t.Errorf("/%s has no route", c.Name)
		}
		if c.Menu == "" || c.MenuEN == "" {
			t.Errorf("/%s has no menu description in Chinese and English", c.Name)
		}
	}
	for name := range routes {
		if !names[name] {
			t.Errorf("route /%s is not in handlers.Commands", name)
		}
	}
}
