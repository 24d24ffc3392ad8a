package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// refuse makes the server answer the requests match picks with an OSS error.
func refuse(e *testEnv, status int, code string, match func(*http.Request) bool) {
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if !match(r) {
			return false
		}
		w.Header().Set("x-oss-request-id", "R1")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>refused</Message><RequestId>R1</RequestId></Error>`, code)
		return true
	})
}

func isCopy(r *http.Request) bool {
	return r.Method == http.MethodPut && r.Header.Get("x-oss-copy-source") != ""
}

func putMany(t *testing.T, e *testEnv, prefix string, n int) {
	for i := range n {
		e.put(t, fmt.Sprintf("%s%02d", prefix, i), []byte("x"))
	}
}

func TestSetMetaRecursiveStopsAtTheFirstAccessDenied(t *testing.T) {
	e := newTestEnv(t)
	putMany(t, e, "p/", 40)
	refuse(e, http.StatusForbidden, "AccessDenied", isCopy)
	e.count("")
	r := e.run(t, "set-meta", "-r", "-f", "-j", "4", "oss://bkt/p/", "X-Oss-Meta-A:1")
	if n := e.count(`^PUT `); r.code != ExitFailed || n > 4 || strings.Count(r.stderr, "AccessDenied") != 1 {
		t.Fatalf("%d copies refused, exit %d: %q", n, r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Stopped: Scanned") || strings.Contains(r.stdout, "Succeed") {
		t.Fatalf("%q", r.stdout)
	}
}

func TestRestoreRecursiveOfAMissingBucketStopsWithOneError(t *testing.T) {
	e := newTestEnv(t)
	r := e.run(t, "restore", "-r", "-f", "oss://nobkt/p/")
	if r.code != ExitFailed || strings.Count(r.stderr, "NoSuchBucket") != 1 || !strings.Contains(r.stdout, "Stopped: Scanned 0 objects.") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
}

// A NoSuchKey on one object is that object's error; --disable-ignore-error makes it the job's.
func TestSetMetaRecursiveGoesOnAfterAnItemErrorUnlessDisableIgnoreError(t *testing.T) {
	e := newTestEnv(t)
	putMany(t, e, "p/", 20)
	refuse(e, http.StatusNotFound, "NoSuchKey", func(r *http.Request) bool { return isCopy(r) && strings.HasSuffix(r.URL.Path, "/p/05") })
	r := e.run(t, "set-meta", "-r", "-f", "-j", "1", "oss://bkt/p/", "X-Oss-Meta-A:1")
	if r.code != ExitFailed || !strings.Contains(r.stdout, "FinishWithError: Total 20 objects. Setted meta on 19 objects(skip 0 objects), Error 1 objects.") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	e.count("")
	r = e.run(t, "set-meta", "-r", "-f", "-j", "1", "oss://bkt/p/", "X-Oss-Meta-A:2", "--disable-ignore-error")
	if n := e.count(`^PUT `); r.code != ExitFailed || n != 6 || !strings.Contains(r.stdout, "Stopped: Scanned") {
		t.Fatalf("%d copies, exit %d: %q %q", n, r.code, r.stdout, r.stderr)
	}
}

func TestAnInterruptedSetMetaSaysSoAndExits130(t *testing.T) {
	e := newTestEnv(t)
	putMany(t, e, "p/", 30)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var copies atomic.Int32
	e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if isCopy(r) && copies.Add(1) == 5 {
			cancel()
		}
		return false
	})
	r := e.runCtx(ctx, "", "set-meta", "-r", "-f", "-j", "1", "oss://bkt/p/", "X-Oss-Meta-A:1")
	if r.code != ExitInterrupted || !strings.Contains(r.stdout, "Interrupted: Scanned") || strings.Contains(r.stdout, "Succeed") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	// restore's own interruption: a context cancelled at its fifth request (one cancelled before
	// the command starts ends it before any summary, with an Interrupted error)
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var restores atomic.Int32
	e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && r.URL.Query().Has("restore") && restores.Add(1) == 5 {
			cancel()
		}
		return false
	})
	r = e.runCtx(ctx, "", "restore", "-r", "-f", "-j", "1", "oss://bkt/p/", "--output-format", "json")
	if r.code != ExitInterrupted || !strings.Contains(r.stdout, `"outcome":"interrupted"`) {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestRmRecursiveWithAKeyRefusedSaysFinishWithError(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "del/a", nil)
	e.put(t, "del/b", nil)
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !r.URL.Query().Has("delete") {
			return false
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><DeleteResult><EncodingType>url</EncodingType><Deleted><Key>del%2Fa</Key></Deleted>`+
			`<Error><Key>del%2Fb</Key><Code>AccessDenied</Code><Message>denied by policy</Message></Error></DeleteResult>`)
		return true
	})
	r := e.run(t, "rm", "-r", "-f", "oss://bkt/del/")
	if r.code != ExitFailed || !strings.Contains(r.stdout, "FinishWithError: Total 2 objects. Removed 1 objects, Error 1 objects.") || strings.Contains(r.stdout, "Succeed") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "rm", "-r", "-f", "oss://bkt/del/", "--output-format", "json")
	if r.code != ExitFailed || !strings.Contains(r.stdout, `"outcome":"finished_with_errors"`) {
		t.Fatalf("%d %q", r.code, r.stdout)
	}
}

// Every --dry-run says what it would do and sends nothing but reads and listings.
func TestEveryNewDryRunSendsNoWrite(t *testing.T) {
	e := newTestEnv(t)
	putMany(t, e, "p/", 3)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"set-meta", "oss://bkt/p/00", "X-Oss-Meta-A:1"}, "would set-meta oss://bkt/p/00\n"},
		{[]string{"set-meta", "-r", "oss://bkt/p/", "X-Oss-Meta-A:1"}, "would set-meta oss://bkt/p/00\nwould set-meta oss://bkt/p/01\nwould set-meta oss://bkt/p/02\nDry run: Total 3 objects."},
		{[]string{"restore", "oss://bkt/p/00"}, "would restore oss://bkt/p/00\n"},
		{[]string{"restore", "-r", "oss://bkt/p/"}, "would restore oss://bkt/p/02\nDry run: Total 3 objects."},
		{[]string{"mb", "oss://newbkt"}, "would make bucket oss://newbkt\n"},
		{[]string{"rb", "oss://bkt"}, "would remove bucket oss://bkt\n"},
		{[]string{"mkdir", "oss://bkt/d"}, "would make directory oss://bkt/d/\n"},
	} {
		e.count("")
		r := e.run(t, append(c.args, "--dry-run")...)
		if writes := e.count(`^(PUT|POST|DELETE) `); r.code != 0 || writes != 0 || !strings.Contains(r.stdout, c.want) {
			t.Errorf("%v: exit %d, %d writes: %q %q", c.args, r.code, writes, r.stdout, r.stderr)
		}
		r = e.run(t, append(c.args, "--dry-run", "--output-format", "json")...)
		var doc struct {
			Entries []map[string]string
			Summary map[string]any
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 || len(doc.Entries) == 0 || doc.Summary["outcome"] != "dry_run" {
			t.Errorf("%v under json: exit %d, %v: %q", c.args, r.code, err, r.stdout)
		}
		if writes := e.count(`^(PUT|POST|DELETE) `); writes != 0 {
			t.Errorf("%v under json: %d writes", c.args, writes)
		}
	}
}

// A local sync --delete moves files to the backup directory: its dry run says so, and a
// backup directory used again keeps the earlier file (name.1, name.2, ...).
func TestSyncBackupDirReusedKeepsEveryFile(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "s/keep", []byte("k"))
	dst, backup := t.TempDir(), t.TempDir()
	for day, content := range []string{"day1", "day2", "day3"} {
		writeTree(t, dst, map[string]string{"sub/extra": content})
		if day == 1 {
			r := e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", backup, "--dry-run")
			want := fmt.Sprintf("would move %s -> %s\n", filepath.Join(dst, "sub", "extra"), filepath.Join(backup, "sub", "extra.1"))
			if r.code != 0 || !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "would delete") {
				t.Fatalf("%d %q, want %q", r.code, r.stdout, want)
			}
		}
		r := e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", backup)
		if r.code != 0 {
			t.Fatalf("day %d: %d %q %q", day+1, r.code, r.stdout, r.stderr)
		}
	}
	for name, want := range map[string]string{"extra": "day1", "extra.1": "day2", "extra.2": "day3"} {
		if b, _ := os.ReadFile(filepath.Join(backup, "sub", name)); string(b) != want {
			t.Errorf("%s holds %q, want %q", name, b, want)
		}
	}
}

// Ctrl-C while a question waits for its answer ends the command at once: exit 130, nothing
// deleted, without the Enter that never comes.
func TestCtrlCDuringTheQuestionEndsAtOnce(t *testing.T) {
	e := newTestEnv(t)
	putMany(t, e, "q/", 2)
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"rm", "-r", "oss://bkt/q/"}, Env{Stdin: stdin, Stdout: io.Discard, Stderr: errs, Home: e.home,
			Getenv: func(string) string { return "" }, Interactive: true})
	}()
	waitForText(t, errs, "(y or N)?")
	cancel()
	wantExit(t, done, ExitInterrupted, errs, "the question still waits after Ctrl-C")
	if got := e.keys(t, "q/"); len(got) != 2 {
		t.Fatalf("deleted: %v", got)
	}
}

// waitForText waits up to 10 s for text in what the command has written to errs.
func waitForText(t *testing.T, errs *syncBuffer, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(errs.String(), text); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q: %q", text, errs.String())
		}
	}
}

// wantExit waits up to 10 s for the command run on a goroutine to end with code want; hang says
// what not ending means.
func wantExit(t *testing.T, done <-chan int, want int, errs *syncBuffer, hang string) {
	t.Helper()
	select {
	case code := <-done:
		if code != want {
			t.Fatalf("exit %d: %q", code, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal(hang)
	}
}

// syncBuffer is a buffer written by the command and read by the test at the same time.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// config's questions are no different: Ctrl-C at one ends it at once, and nothing is written.
func TestCtrlCDuringConfigsQuestionsWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg")
	stdin, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"config", "-c", path}, Env{Stdin: stdin, Stdout: io.Discard, Stderr: errs, Home: t.TempDir(),
			Getenv: func(string) string { return "" }, Interactive: true})
	}()
	io.WriteString(w, "http://example.invalid\n") // the endpoint; the next question then waits
	waitForText(t, errs, "Please enter accessKeyID")
	cancel()
	wantExit(t, done, ExitInterrupted, errs, "config still waits after Ctrl-C")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("config wrote %s: %v", path, err)
	}
}

// A destination that cannot be listed ends a sync before any copy, with its error once and the
// job's summary (Stopped), never a bare "context canceled".
func TestSyncWhoseDestinationCannotBeListedStopsWithASummary(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644)
	r := e.run(t, "sync", dir, "oss://nobkt/p/", "-f")
	if r.code != ExitFailed || !strings.Contains(r.stdout, "Stopped:") || strings.Count(r.stderr, "NoSuchBucket") != 1 ||
		strings.Contains(r.stderr, "context canceled") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "sync", dir, "oss://nobkt/p/", "-f", "--output-format", "json")
	if r.code != ExitFailed || !strings.Contains(r.stdout, `"outcome":"stopped"`) {
		t.Fatalf("json: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// On a terminal the progress bar is not drawn while a question waits: it would overwrite the
// question and the answer being typed.
func TestTheProgressBarWaitsForTheAnswer(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "q", []byte("old"))
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, []byte("new"), 0o644)
	stdin, w := io.Pipe()
	errs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(context.Background(), []string{"cp", file, "oss://bkt/q"}, Env{Stdin: stdin, Stdout: io.Discard, Stderr: errs, Home: e.home,
			Getenv: func(string) string { return "" }, Interactive: true, Terminal: true})
	}()
	const question = "(y or N)? "
	waitForText(t, errs, question)
	time.Sleep(700 * time.Millisecond) // three of the bar's ticks
	if s := errs.String(); !strings.HasSuffix(s, question) {
		t.Fatalf("something was drawn after the question: %q", s[strings.LastIndex(s, question):])
	}
	io.WriteString(w, "y\n")
	wantExit(t, done, ExitOK, errs, "cp still waits after its answer")
}

// Ctrl-C while the files of a tree wait for their answers (small items: direct exchanges, each
// on its worker's goroutine) ends the command at once with its Interrupted summary, and a
// download leaves no file behind but those written whole.
func TestCtrlCWhileSmallFilesWaitForTheirAnswers(t *testing.T) {
	for _, direction := range []string{"upload", "download"} {
		t.Run(direction, func(t *testing.T) {
			e := newTestEnv(t)
			src, out := t.TempDir(), t.TempDir()
			files := map[string]string{}
			for i := range 20 {
				files[fmt.Sprintf("%02d", i)] = "x"
			}
			writeTree(t, src, files)
			putMany(t, e, "d/", 20)
			args := []string{"cp", "-r", "-f", src, "oss://bkt/up/"}
			stall := http.MethodPut
			if direction == "download" {
				args, stall = []string{"cp", "-r", "-f", "oss://bkt/d/", out}, http.MethodGet
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			defer close(release)
			var seen atomic.Int32
			e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
				// the first item (alone) is answered; the others wait, and at the fifth Ctrl-C
				if r.Method == stall && strings.Count(r.URL.Path, "/") == 3 && seen.Add(1) > 1 {
					if seen.Load() == 6 {
						cancel()
					}
					<-release
				}
				return false
			})
			errs := &syncBuffer{}
			stdout := &syncBuffer{}
			done := make(chan int, 1)
			go func() {
				done <- Run(ctx, args, Env{Stdout: stdout, Stderr: errs, Home: e.home, Getenv: func(string) string { return "" }})
			}()
			wantExit(t, done, ExitInterrupted, errs, "Ctrl-C did not end requests waiting for their answers")
			if n := seen.Load(); n < 6 {
				t.Fatalf("interrupted before requests waited: %d", n)
			}
			if s := stdout.String(); !strings.Contains(s, "Interrupted: Scanned") || strings.Contains(s, "Succeed") {
				t.Fatalf("summary: %q", s)
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, ent := range entries {
				if b, err := os.ReadFile(filepath.Join(out, ent.Name())); err != nil || files[ent.Name()] != string(b) {
					t.Errorf("left in the destination: %s %q %v", ent.Name(), b, err)
				}
			}
		})
	}
}

// A download or copy of a prefix starts on a first listing page of firstListPage keys, then
// lists the rest 1000 a page, and copies every object once.
func TestCpOfAPrefixListsAShortFirstPageThenTheRest(t *testing.T) {
	e := newTestEnv(t)
	n := firstListPage + 50
	for i := range n {
		e.put(t, fmt.Sprintf("p/%03d", i), []byte{byte(i)})
	}
	out := t.TempDir()
	want := []string{
		fmt.Sprintf("GET /bkt/?prefix=p%%2F&delimiter&marker&max-keys=%d&encoding-type=url", firstListPage),
		fmt.Sprintf("GET /bkt/?prefix=p%%2F&delimiter&marker=p%%2F%03d&max-keys=1000&encoding-type=url", firstListPage-1),
	}
	for _, args := range [][]string{{"cp", "-r", "oss://bkt/p/", out}, {"cp", "-r", "oss://bkt/p/", "oss://bkt/q/"}} {
		e.count(".")
		if r := e.run(t, args...); r.code != ExitOK {
			t.Fatalf("%v: %d %q", args, r.code, r.stderr)
		}
		e.mu.Lock()
		var listings []string
		for _, r := range e.requests {
			if strings.HasPrefix(r, "GET /bkt/?") {
				listings = append(listings, r)
			}
		}
		e.mu.Unlock()
		if fmt.Sprint(listings) != fmt.Sprint(want) {
			t.Errorf("%v listed\n%q\nwant\n%q", args, listings, want)
		}
	}
	if got := e.keys(t, "q/"); len(got) != n {
		t.Errorf("%d objects copied, want %d", len(got), n)
	}
	for i := range n {
		if b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("%03d", i))); err != nil || len(b) != 1 || b[0] != byte(i) {
			t.Fatalf("%03d: %v %v", i, b, err)
		}
	}
}
