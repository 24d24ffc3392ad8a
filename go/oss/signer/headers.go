package signer

import (
	"net/http"
	"sort"
	"strings"
)

// headerField is one header as signing sees it: lower-case name, single value.
type headerField struct{ name, value string }

// lowerHeaders flattens h into lower-case names. oss2 keeps one value per name; when a
// Go header carries several (or two map keys differ only in case) they are joined with
// a comma, which is how HTTP itself would fold them.
func lowerHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		lk := lowerName(k)
		v := strings.Join(vs, ",")
		if prev, ok := out[lk]; ok {
			v = prev + "," + v
		}
		out[lk] = v
	}
	return out
}

// lowerName is strings.ToLower(name), without an allocation for the names every request has.
func lowerName(name string) string {
	switch name {
	case "Authorization":
		return "authorization"
	case "Content-Length":
		return "content-length"
	case "Content-Md5":
		return "content-md5"
	case "Content-Type":
		return "content-type"
	case "Date":
		return "date"
	case "Range":
		return "range"
	case "User-Agent":
		return "user-agent"
	}
	return strings.ToLower(name)
}

// selectHeaders returns the headers for which keep reports true, sorted by name.
func selectHeaders(h map[string]string, keep func(string) bool) []headerField {
	var fs []headerField
	for k, v := range h {
		if keep(k) {
			fs = append(fs, headerField{k, v})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
	return fs
}

// hasHeader reports whether h has a non-empty value for name, whatever the case of the
// map key (a header built by hand need not use canonical keys).
func hasHeader(h http.Header, name string) bool {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

// setHeader replaces every case variant of name with a single value.
func setHeader(h http.Header, name, value string) {
	delHeader(h, name)
	h.Set(name, value)
}

// delHeader removes every case variant of name.
func delHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

// presentHeaders keeps the names in want that header carries (any case), as oss2 does
// before signing additional headers: a listed header the request lacks is not signed.
func presentHeaders(want []string, header http.Header) []string {
	h := lowerHeaders(header)
	var out []string
	for _, n := range want {
		if _, ok := h[strings.ToLower(n)]; ok {
			out = append(out, n)
		}
	}
	return out
}
