package cli

import (
	"path"
	"strings"
)

// filter is ossutil's --include/--exclude: shell globs matched against the file name (the last
// path element), applied in the order given; the last rule that matches decides. With no rule a
// name passes; when the first rule is an include, names matching no rule are left out.
type filter struct {
	rules []rule
}

type rule struct {
	include bool
	pattern string
}

// newFilter reads the rules in command-line order from the raw arguments (the parsed options
// keep includes and excludes apart, and the order matters).
func newFilter(args []string) (*filter, error) {
	f := &filter{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		for _, name := range []string{"include", "exclude"} {
			var pat string
			switch {
			case a == "--"+name && i+1 < len(args):
				i++
				pat = args[i]
			case strings.HasPrefix(a, "--"+name+"="):
				pat = strings.TrimPrefix(a, "--"+name+"=")
			default:
				continue
			}
			if _, err := path.Match(pat, ""); err != nil {
				return nil, usagef("bad --%s pattern %q: %v", name, pat, err)
			}
			f.rules = append(f.rules, rule{include: name == "include", pattern: pat})
		}
	}
	return f, nil
}

// match tells whether a relative name (slash-separated) is selected.
func (f *filter) match(name string) bool {
	if len(f.rules) == 0 {
		return true
	}
	base := path.Base(strings.TrimSuffix(name, "/"))
	ok := !f.rules[0].include
	for _, r := range f.rules {
		m, _ := path.Match(r.pattern, base)
		if !m {
			m, _ = path.Match(r.pattern, name)
		}
		if m {
			ok = r.include
		}
	}
	return ok
}
