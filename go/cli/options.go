package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// kind is how an option takes its value.
type kind int

const (
	flagBool kind = iota // no value
	flagString
	flagInt
	flagList // repeatable: every value is kept
)

// option is one command-line option as ossutil spells it: a one-letter short name (may be
// empty) and a long name.
type option struct {
	short, long string
	kind        kind
	help        string
}

// usageError is a command line that cannot be run: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// parsed holds a command line's options and positional arguments.
type parsed struct {
	set   map[string]bool
	vals  map[string]string
	lists map[string][]string
	args  []string
}

func (p *parsed) bool(long string) bool     { return p.set[long] }
func (p *parsed) str(long string) string    { return p.vals[long] }
func (p *parsed) list(long string) []string { return p.lists[long] }

// int returns the option's value, or def when it was not given.
func (p *parsed) int(long string, def int64) int64 {
	v, ok := p.vals[long]
	if !ok {
		return def
	}
	n, _ := strconv.ParseInt(v, 10, 64) // checked in parse
	return n
}

// parseOptions reads args as ossutil does: options may come before, between or after the
// positional arguments; "--name value", "--name=value", "-x value", "-xVALUE" and bundled short
// booleans ("-rf") all work; "--" ends the options.
func parseOptions(cmd string, specs []option, args []string) (*parsed, error) {
	p := &parsed{set: map[string]bool{}, vals: map[string]string{}, lists: map[string][]string{}}
	byShort, byLong := map[string]option{}, map[string]option{}
	for _, s := range specs {
		if s.short != "" {
			byShort[s.short] = s
		}
		byLong[s.long] = s
	}
	take := func(o option, val string, have bool, i *int) error {
		if o.kind == flagBool {
			if have {
				return usagef("%s: option --%s takes no value", cmd, o.long)
			}
			p.set[o.long] = true
			return nil
		}
		if !have {
			if *i+1 >= len(args) {
				return usagef("%s: option --%s needs a value", cmd, o.long)
			}
			*i++
			val = args[*i]
		}
		if o.kind == flagInt {
			if _, err := strconv.ParseInt(val, 10, 64); err != nil {
				return usagef("%s: option --%s needs a number, not %q", cmd, o.long, val)
			}
		}
		p.set[o.long] = true
		if o.kind == flagList {
			p.lists[o.long] = append(p.lists[o.long], val)
		} else {
			p.vals[o.long] = val
		}
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			p.args = append(p.args, args[i+1:]...)
			return p, nil
		case strings.HasPrefix(a, "--"):
			name, val, have := strings.Cut(a[2:], "=")
			o, ok := byLong[name]
			if !ok {
				return nil, usagef("%s: unknown option --%s", cmd, name)
			}
			if err := take(o, val, have, &i); err != nil {
				return nil, err
			}
		case len(a) > 1 && a[0] == '-':
			// -x, -xVALUE, -rf
			for j := 1; j < len(a); j++ {
				o, ok := byShort[a[j:j+1]]
				if !ok {
					return nil, usagef("%s: unknown option -%s", cmd, a[j:j+1])
				}
				if o.kind != flagBool {
					rest := a[j+1:]
					if err := take(o, rest, rest != "", &i); err != nil {
						return nil, err
					}
					break
				}
				p.set[o.long] = true
			}
		default:
			p.args = append(p.args, a)
		}
	}
	return p, nil
}

// parseSize reads a byte count: a plain number, or with a suffix K, M, G (powers of 1024, as
// ossutil's part sizes are given in bytes and people write 8M).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	u := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(s, "B"), "b"))
	for _, suf := range []struct {
		s string
		m int64
	}{{"KI", 1 << 10}, {"MI", 1 << 20}, {"GI", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSuffix(u, suf.s), suf.m
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
