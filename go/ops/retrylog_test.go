package ops

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

type drained struct {
	Events  []retryRecord `json:"events"`
	Dropped int           `json:"dropped"`
}

func drain(t *testing.T, l *RetryLog) (d drained) {
	t.Helper()
	b := l.Drain()
	if b == nil {
		return d
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Each retry is kept with the failed attempt's answer (or connection error) and the wait.
func TestRetryLogRecordsTheFailedAttempt(t *testing.T) {
	var l RetryLog
	slow := &oss.ServiceError{Status: 503, Code: "SlowDown", Message: "Please reduce your request rate.", RequestID: "RID1"}
	l.add(oss.RetryEvent{Method: "PUT", Bucket: "b", Key: "k", Query: [][2]string{{"uploadId", "U"}, {"partNumber", "2"}},
		Event: retry.Event{Attempt: 1, MaxAttempts: 3, Err: fmt.Errorf("part 2: %w", slow), Delay: 84 * time.Millisecond}})
	l.add(oss.RetryEvent{Method: "GET", Bucket: "b", Key: "k", Part: "bytes=0-9",
		Event: retry.Event{Attempt: 2, MaxAttempts: 3, Err: &oss.RequestError{Err: errors.New("connection reset by peer")}, Delay: time.Second}})
	d := drain(t, &l)
	want := []retryRecord{
		{Method: "PUT", Bucket: "b", Key: "k", Params: "uploadId=U&partNumber=2", Attempt: 1, MaxAttempts: 3, Status: 503,
			Code: "SlowDown", RequestID: "RID1", Error: "Please reduce your request rate.", Backoff: 0.084},
		{Method: "GET", Bucket: "b", Key: "k", Part: "bytes=0-9", Attempt: 2, MaxAttempts: 3, Connection: true,
			Error: "connection reset by peer", Backoff: 1},
	}
	if d.Dropped != 0 || len(d.Events) != 2 || d.Events[0] != want[0] || d.Events[1] != want[1] {
		t.Fatalf("drained %+v", d)
	}
	if l.Drain() != nil {
		t.Fatal("a second drain returned the same retries")
	}
}

// Between two drains only the last retryLogSize retries are kept; the others are counted.
func TestRetryLogKeepsTheLastAndCountsTheRest(t *testing.T) {
	var l RetryLog
	for i := 1; i <= retryLogSize+25; i++ {
		l.add(oss.RetryEvent{Key: fmt.Sprint(i), Event: retry.Event{Attempt: 1, MaxAttempts: 2, Err: errors.New("x")}})
	}
	d := drain(t, &l)
	if d.Dropped != 25 || len(d.Events) != retryLogSize || d.Events[0].Key != "26" || d.Events[retryLogSize-1].Key != fmt.Sprint(retryLogSize+25) {
		t.Fatalf("dropped %d, kept %d from %s", d.Dropped, len(d.Events), d.Events[0].Key)
	}
}
