package store

import (
	"errors"
	"testing"
)

// The account's settings survive reopening a disk store; a refused update changes nothing.
func TestAccountSettingsPersist(t *testing.T) {
	root := t.TempDir()
	st, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Account().Configs) != 0 {
		t.Fatal("a new store has account settings")
	}
	if _, err := st.UpdateAccount(func(a *AccountInfo) error { a.Configs["k"] = "v"; return nil }); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("no")
	if _, err := st.UpdateAccount(func(a *AccountInfo) error { a.Configs["k"] = "x"; return refused }); err != refused {
		t.Fatalf("refused update: %v", err)
	}
	again, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Account().Configs["k"]; got != "v" {
		t.Fatalf("after reopen: %q", got)
	}
}
