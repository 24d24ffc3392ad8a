package credentials

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultProfile is the section of ~/.ossutilconfig ossutil 1.x reads its keys from.
const DefaultProfile = "Credentials"

// ConfigKey is the canonical name of an ossutil config key: ossutil 1.x accepts several
// spellings of each (accessKeyID, AccessKeyId, access_key_id, access-id, ...); they all map
// to one lower-case name here. Unknown keys are lower-cased with "-" and "_" removed.
func ConfigKey(name string) string {
	k := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(strings.TrimSpace(name)))
	switch k {
	case "accessid", "accesskeyid":
		return "accesskeyid"
	case "accesskeysecret", "accesskey":
		return "accesskeysecret"
	case "host":
		return "endpoint"
	}
	return k
}

// ReadProfile reads one section of an ossutil INI config file, keys canonical (ConfigKey).
// A missing file or section gives an error wrapping ErrNotFound.
func ReadProfile(path, section string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, NotFound("config file %s: does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	out, found := map[string]string{}, false
	cur := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' && strings.HasSuffix(line, "]") {
			cur = strings.TrimSpace(line[1 : len(line)-1])
			found = found || cur == section
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && cur == section {
			out[ConfigKey(k)] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read config file %s: %w", path, err)
	}
	if !found {
		return nil, NotFound("config file %s: no [%s] section", path, section)
	}
	return out, nil
}

// WriteProfile sets keys (name -> value, written with the names given, in the order of
// names) in one section of an INI file, keeping every other section and line; a key of the
// section whose canonical name is set is replaced, an empty value removes it. The file is
// written with mode 0600 through a temporary file in the same directory (created 0600,
// synced, renamed over the target), so it is never readable by others, even briefly, and
// never half-written.
func WriteProfile(path, section string, names []string, values map[string]string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read config file: %w", err)
	}
	set := map[string]bool{}
	for _, n := range names {
		set[ConfigKey(n)] = true
	}
	var lines []string
	if len(old) > 0 {
		lines = strings.Split(strings.TrimRight(string(old), "\n"), "\n")
	}
	var out []string
	cur, inserted := "", false
	insert := func() {
		for _, n := range names {
			if v := values[n]; v != "" {
				out = append(out, n+" = "+v)
			}
		}
		inserted = true
	}
	for _, line := range lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			if cur == section && !inserted {
				insert()
			}
			cur = strings.TrimSpace(t[1 : len(t)-1])
			out = append(out, line)
			continue
		}
		if k, _, ok := strings.Cut(t, "="); ok && cur == section && set[ConfigKey(k)] {
			continue // replaced by the new value
		}
		out = append(out, line)
	}
	if cur == section && !inserted {
		insert()
	}
	if !inserted {
		out = append(out, "["+section+"]")
		insert()
	}
	return writeFileAtomic(path, []byte(strings.Join(out, "\n")+"\n"))
}

func writeFileAtomic(path string, data []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	// CreateTemp makes the file 0600 from the start: no moment at which it is wider.
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Profile reads keys from a section of ossutil's config file (accessKeyID, accessKeySecret,
// stsToken, in any of ossutil's spellings) each time it is asked, so an edited file is seen.
type Profile struct {
	Path    string
	Section string // default DefaultProfile
}

func (p *Profile) Credentials(context.Context) (Credentials, error) {
	section := p.Section
	if section == "" {
		section = DefaultProfile
	}
	kv, err := ReadProfile(p.Path, section)
	if err != nil {
		return Credentials{}, err
	}
	if kv["accesskeyid"] == "" || kv["accesskeysecret"] == "" {
		return Credentials{}, NotFound("config file %s: no accessKeyID and accessKeySecret in [%s]", p.Path, section)
	}
	return NewStatic(kv["accesskeyid"], kv["accesskeysecret"], kv["ststoken"], fmt.Sprintf("config file %s [%s]", p.Path, section)).Creds, nil
}
