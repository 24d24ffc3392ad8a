package cli

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// op names what a transfer does, in ossutil's words.
type op string

const (
	opUpload   op = "upload"
	opDownload op = "download"
	opCopy     op = "copy"
	opSetMeta  op = "set-meta"
	opRestore  op = "restore"
)

// batchDone is ossutil's past tense in the summaries of the batches that move no bytes.
var batchDone = map[op]string{opSetMeta: "Setted meta on", opRestore: "Restore"}

func (o op) subject() string {
	if o == opUpload {
		return "files"
	}
	return "objects"
}

// monitor counts a transfer's files and bytes. On a terminal it draws a progress bar on stderr
// (bytes, files, speed, ETA); its summary on stdout has ossutil's wording either way.
type monitor struct {
	c     *call
	op    op
	start time.Time

	scanned, files, dirs, skipped, failed atomic.Int64
	deleted                               atomic.Int64 // sync --delete: objects deleted or files moved away
	total, done, skippedBytes             atomic.Int64 // bytes
	scanning                              atomic.Bool

	stop chan struct{}
	wg   sync.WaitGroup
}

func newMonitor(c *call, o op) *monitor {
	m := &monitor{c: c, op: o, start: time.Now(), stop: make(chan struct{})}
	m.scanning.Store(true)
	if c.env.Terminal && !c.json() { // under json every stderr line is a JSON object
		m.wg.Add(1)
		go m.draw()
	}
	return m
}

// addBytes counts transferred bytes (negative: bytes to be sent again after a retry).
func (m *monitor) addBytes(n int64) { m.done.Add(n) }

func (m *monitor) draw() {
	defer m.wg.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			fmt.Fprint(m.c.env.Stderr, "\r\033[K")
			return
		case <-t.C:
			// Not while a question waits for its answer (call.ask holds askMu): the bar would
			// overwrite the question and the answer being typed.
			if m.c.askMu.TryLock() {
				fmt.Fprint(m.c.env.Stderr, "\r"+m.bar()+"\033[K")
				m.c.askMu.Unlock()
			}
		}
	}
}

// bar is one line: [#####-----]  45%  120.3 MB/s  3/10 files  ETA 0:05 (a batch of set-meta or
// restore: 3/10 objects, 0 errors).
func (m *monitor) bar() string {
	if _, ok := batchDone[m.op]; ok {
		// set-meta and restore move no bytes: only objects can be counted.
		return fmt.Sprintf("%d/%d objects, %d errors", m.files.Load()+m.skipped.Load(), m.scanned.Load(), m.failed.Load())
	}
	total, done := m.total.Load(), m.done.Load()
	secs := time.Since(m.start).Seconds()
	speed := float64(done) / max(secs, 1e-3)
	const width = 24
	frac := 0.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	fill := int(frac * width)
	eta := "-"
	if speed > 0 && total > done && !m.scanning.Load() {
		left := time.Duration(float64(total-done) / speed * float64(time.Second)).Round(time.Second)
		eta = fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)
	}
	ok := m.files.Load() + m.dirs.Load() + m.skipped.Load()
	return fmt.Sprintf("[%s%s] %5.1f%%  %s/s  %d/%d %s  ETA %s", strings.Repeat("#", fill), strings.Repeat("-", width-fill),
		100*frac, humanBytes(speed), ok, m.scanned.Load(), m.op.subject(), eta)
}

func humanBytes(v float64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// sizeText writes a byte count with thousands separators, as ossutil's summary does.
func sizeText(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, ",")
	if neg {
		out = "-" + out
	}
	return out
}

// outcome is how a transfer ended, for its summary.
type outcome int

const (
	outcomeCompleted   outcome = iota // every item was tried
	outcomeStopped                    // an error that concerns the whole job stopped it
	outcomeInterrupted                // Ctrl-C or SIGTERM
)

// succeeded tells whether any item has been done: a skip (found not to need doing) sent no write.
func (m *monitor) succeeded() bool { return m.files.Load()+m.dirs.Load() > 0 }

// finish stops the bar and prints the summary. A job that ran to its end has ossutil's wording
// ("Succeed: Total num: ..." or "FinishWithError: ..."); one that was stopped or interrupted says
// so and what it had done by then. Sizes and the speed count only the bytes of items that were
// completed; a dry run says what would have been done.
func (m *monitor) finish(o outcome, dryRun bool) {
	close(m.stop)
	m.wg.Wait()
	files, dirs, skipped, failed := m.files.Load(), m.dirs.Load(), m.skipped.Load(), m.failed.Load()
	ok := files + dirs + skipped
	verb := string(m.op)
	if dryRun {
		verb = "would " + verb
	}
	var detail []string
	if files > 0 {
		detail = append(detail, fmt.Sprintf("%s %d %s", verb, files, m.op.subject()))
	}
	if dirs > 0 {
		if files > 0 {
			detail = append(detail, fmt.Sprintf("%d directories", dirs))
		} else {
			detail = append(detail, fmt.Sprintf("%s %d directories", verb, dirs))
		}
	}
	if skipped > 0 {
		detail = append(detail, fmt.Sprintf("skip %d %s", skipped, m.op.subject()))
	}
	d := ""
	if len(detail) > 0 {
		d = "(" + strings.Join(detail, ", ") + ")"
	}
	done := m.done.Load()
	if m.c.json() {
		m.finishJSON(o, dryRun)
		return
	}
	if past, ok := batchDone[m.op]; ok {
		m.finishBatch(o, dryRun, past)
		return
	}
	switch {
	case dryRun:
		m.c.printf("Dry run: Total num: %d, size: %s. OK num: %d%s. Nothing was changed.\n", m.scanned.Load(), sizeText(m.total.Load()), ok, d)
		return
	case o == outcomeInterrupted:
		m.c.printf("Interrupted: Scanned %d %s. OK num: %d%s. Error num: %d. Transfer size: %s. The rest was not done.\n",
			m.scanned.Load(), m.op.subject(), ok, d, failed, sizeText(done))
	case o == outcomeStopped:
		m.c.printf("Stopped: Scanned %d %s. OK num: %d%s. Error num: %d. Transfer size: %s. The rest was not done.\n",
			m.scanned.Load(), m.op.subject(), ok, d, failed, sizeText(done))
	case failed == 0:
		skip := ""
		if skipped > 0 {
			skip = ", Skip size: " + sizeText(m.skippedBytes.Load())
		}
		m.c.printf("Succeed: Total num: %d, size: %s. OK num: %d%s%s.\n", m.scanned.Load(), sizeText(m.total.Load()), ok, d, skip)
	default:
		m.c.printf("FinishWithError: Scanned %d %s. Error num: %d. OK num: %d%s, Transfer size: %s.\n",
			m.scanned.Load(), m.op.subject(), failed, ok, d, sizeText(done))
	}
	if done > 0 {
		secs := time.Since(m.start).Seconds()
		m.c.printf("\naverage speed %d(byte/s)\n", int64(float64(done)/max(secs, 1e-3)))
	}
}

// finishBatch is finish for set-meta -r and restore -r, in ossutil's wording for them ("Succeed:
// Total 3 objects. Setted meta on 3 objects(skip 0 objects).").
func (m *monitor) finishBatch(o outcome, dryRun bool, past string) {
	scanned, failed := m.scanned.Load(), m.failed.Load()
	counts := fmt.Sprintf("%s %d objects(skip %d objects)", past, m.files.Load(), m.skipped.Load())
	switch {
	case dryRun:
		m.c.printf("Dry run: Total %d objects. Nothing was changed.\n", scanned)
	case o == outcomeInterrupted:
		m.c.printf("Interrupted: Scanned %d objects. %s, Error %d objects. The rest was not done.\n", scanned, counts, failed)
	case o == outcomeStopped:
		m.c.printf("Stopped: Scanned %d objects. %s, Error %d objects. The rest was not done.\n", scanned, counts, failed)
	case failed == 0:
		m.c.printf("Succeed: Total %d objects. %s.\n", scanned, counts)
	default:
		m.c.printf("FinishWithError: Total %d objects. %s, Error %d objects.\n", scanned, counts, failed)
	}
}

// finishJSON ends the command's document with its summary.
func (m *monitor) finishJSON(o outcome, dryRun bool) {
	failed := m.failed.Load()
	name := map[outcome]string{outcomeCompleted: "succeeded", outcomeStopped: "stopped", outcomeInterrupted: "interrupted"}[o]
	if o == outcomeCompleted && failed > 0 {
		name = "finished_with_errors"
	}
	if dryRun {
		name = "dry_run"
	}
	summary := map[string]any{"command": m.c.cmd.name, "operation": string(m.op), "outcome": name,
		"scanned": m.scanned.Load(), "ok": m.files.Load() + m.dirs.Load() + m.skipped.Load(),
		"files": m.files.Load(), "directories": m.dirs.Load(), "skipped": m.skipped.Load(), "failed": failed,
		"deleted": m.deleted.Load(), "bytes": m.done.Load(), "total_bytes": m.total.Load(),
		"skipped_bytes": m.skippedBytes.Load(), "seconds": time.Since(m.start).Seconds()}
	m.c.closeEntries(summary)
}
