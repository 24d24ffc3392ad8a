package cli

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Object headers as ossutil 1.7.19 takes them: --meta "Name:value#Name:value" (cp, set-meta's
// argument), --acl, --tagging "k=v&k2=v2", and jindo's --storage-class.

// metaHeaders are the headers ossutil names in its --meta help (its headerOptionMap); any other
// name must start with "x-oss-" (x-oss-meta-* is user metadata, the rest are sent as given).
var metaHeaders = []string{
	"Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Expires",
	"Accept-Encoding", "X-Oss-Server-Side-Encryption", "X-Oss-Object-Acl", "Origin", "X-Oss-Storage-Class",
	"X-Oss-Server-Side-Encryption-Key-Id", "X-Oss-Server-Side-Data-Encryption",
	"X-Oss-Server-Side-Encryption-Customer-Algorithm", "X-Oss-Server-Side-Encryption-Customer-Key",
	"X-Oss-Server-Side-Encryption-Customer-Key-MD5",
}

var objectACLs = []string{"public-read-write", "public-read", "private", "default"}

var storageClasses = []string{"Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"}

// headerOptions are cp's (and sync's) options that set the uploaded or copied objects' headers.
var headerOptions = []option{
	{"", "meta", flagString, `set the objects' headers: "Name:value#Name:value", e.g. Cache-Control:no-cache#Content-Encoding:gzip#X-Oss-Meta-Owner:me ` +
		`(Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Expires (RFC 1123 or RFC 3339), x-oss-meta-* and other x-oss-* headers); ` +
		`a copy within OSS then replaces the source's headers`},
	{"", "acl", flagString, "the objects' ACL: private, public-read, public-read-write or default"},
	{"", "storage-class", flagString, "the objects' storage class: Standard, IA, Archive, ColdArchive or DeepColdArchive"},
	{"", "tagging", flagString, `the objects' tags: "k=v&k2=v2" (a copy within OSS then replaces the source's tags)`},
}

// knownHeader is the canonical name of one of metaHeaders, or "".
func knownHeader(name string) string {
	for _, h := range metaHeaders {
		if strings.EqualFold(h, name) {
			return h
		}
	}
	return ""
}

// metaPair is one Name:value of a --meta string, in the order given.
type metaPair struct{ name, value string }

// parseMeta reads ossutil's "Name:value#Name:value" (set-meta --delete: names alone). Names are
// checked as ossutil checks them; values are taken as they are (everything after the first ":").
func parseMeta(s string, forDelete bool, cmd string) ([]metaPair, error) {
	if s == "" {
		return nil, nil
	}
	var out []metaPair
	for _, item := range strings.Split(s, "#") {
		name, value, _ := strings.Cut(item, ":")
		if forDelete && value != "" {
			return nil, usagef("delete meta for object do no support value for header:%s, please set value:%s to empty", name, value)
		}
		if knownHeader(name) == "" && !strings.HasPrefix(strings.ToLower(name), "x-oss-") {
			return nil, usagef("unsupported header:%s; %s takes %s and names starting with x-oss- (X-Oss-Meta-* for user metadata)",
				name, cmd, strings.Join(metaHeaders, ", "))
		}
		out = append(out, metaPair{name, value})
	}
	return out, nil
}

// metaHeader puts pairs into h as the request headers they are: known names in their canonical
// spelling, Expires as an HTTP date (ossutil takes RFC 1123 or RFC 3339), x-oss-* as given. A
// name given twice keeps its last value.
func metaHeader(h http.Header, pairs []metaPair) error {
	for _, p := range pairs {
		name := knownHeader(p.name)
		if name == "" {
			name = p.name
		}
		value := p.value
		if name == "Expires" && value != "" {
			t, err := time.Parse(http.TimeFormat, value)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, value); err != nil {
					return usagef("Expires: %q is neither an HTTP date (%s) nor RFC 3339 (%s)", value, http.TimeFormat, time.RFC3339)
				}
			}
			value = t.UTC().Format(http.TimeFormat)
		}
		h.Set(name, value)
	}
	return nil
}

// taggingHeader checks "k=v&k2=v2" as ossutil does and encodes it for x-oss-tagging as its SDK
// does (url.Values: keys sorted, each part query-escaped).
func taggingHeader(s string) (string, error) {
	v := url.Values{}
	for _, item := range strings.Split(s, "&") {
		if item == "" {
			return "", usagef("tagging value is empty,maybe exist &&")
		}
		kv := strings.Split(item, "=")
		if len(kv) >= 3 {
			return "", usagef("tagging value error %s", item)
		}
		kv = append(kv, "")
		v.Add(kv[0], kv[1])
	}
	return v.Encode(), nil
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// objectHeaders builds the headers cp's header options ask for; download tells that the objects
// are read, not written, where ossutil refuses them. copy (within OSS) adds the directives that
// make CopyObject take the given metadata and tags instead of the source's.
func (c *call) objectHeaders(download, copy bool) (http.Header, error) {
	h := http.Header{}
	meta, acl, class, tagging := c.opts.str("meta"), c.opts.str("acl"), c.opts.str("storage-class"), c.opts.str("tagging")
	if download {
		switch {
		case tagging != "":
			return nil, usagef("No need to set tagging for download")
		case acl != "":
			return nil, usagef("No need to set ACL for download")
		case meta != "" || class != "":
			return nil, usagef("--meta and --storage-class are for uploads and copies, not downloads")
		}
		return h, nil
	}
	pairs, err := parseMeta(meta, false, c.cmd.name)
	if err != nil {
		return nil, err
	}
	if err := metaHeader(h, pairs); err != nil {
		return nil, err
	}
	if copy && meta != "" {
		h.Set("x-oss-metadata-directive", "REPLACE")
	}
	if tagging != "" {
		v, err := taggingHeader(tagging)
		if err != nil {
			return nil, err
		}
		h.Set("x-oss-tagging", v)
		if copy {
			h.Set("x-oss-tagging-directive", "REPLACE")
		}
	}
	if acl != "" {
		if !oneOf(acl, objectACLs) {
			return nil, usagef("invalid acl: %s, please check", acl)
		}
		h.Set("x-oss-object-acl", acl)
	}
	if class != "" {
		if !oneOf(class, storageClasses) {
			return nil, usagef("invalid storage class: %s, must be one of %s", class, strings.Join(storageClasses, ", "))
		}
		h.Set("x-oss-storage-class", class)
	}
	return h, nil
}

// sortedNames lists h's names in order, for stable output.
func sortedNames(h map[string]string) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// cpHeaders are the headers of the objects cp (or sync) writes, from its command line.
func (c *call) cpHeaders() (http.Header, error) {
	if len(c.opts.args) != 2 {
		return http.Header{}, nil
	}
	src, dst := isCloud(c.opts.args[0]), isCloud(c.opts.args[1])
	return c.objectHeaders(src && !dst, src && dst)
}

// objectHeader is a fresh copy of the headers an upload carries, never nil.
func (cfg *cpConfig) objectHeader() http.Header {
	if cfg.headers == nil {
		return http.Header{}
	}
	return cfg.headers.Clone()
}
