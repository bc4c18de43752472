package handlers

import (
	"strings"
	"testing"
)

// /help lists, in each language, every command of Commands that has a
// help line, and no other.
func TestHelpListsCommands(t *testing.T) {
	s := &Service{}
	for _, lang := range []string{"zh", "en"} {
		r := s.Help(Chat{Lang: lang})
		validHTML(t, "help "+lang, r.Messages...)
		for _, c := range Commands {
			help := c.Help
			if lang == "en" {
				help = c.HelpEN
			}
			listed := strings.Contains(r.Messages[0], "\n/"+c.Name+" ")
			if listed != (help != "") {
				t.Errorf("%s: /%s listed %v, help line %q", lang, c.Name, listed, help)
			}
			if help != "" && !strings.Contains(r.Messages[0], "/"+c.Name+" "+help) {
				t.Errorf("%s: no line %q in\n%s", lang, "/"+c.Name+" "+help, r.Messages[0])
			}
		}
	}
}
