package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/pyjindo/pyjindo/go/transfer"
)

// job is how a batch (cp -r, sync, set-meta -r, restore -r) routes its errors and ends: an error
// about one item is printed and counted and the rest go on; one that ends the job
// (transfer.EndsJob), or any under --disable-ignore-error, is printed once and stops every worker.
type job struct {
	c           *call
	mon         *monitor
	stopOnError bool
	ctx         context.Context // the workers' context: the command's, cancelled also when the job must end
	stop        context.CancelFunc
	stopped     sync.Once
	fatal       error // the error that ended the job, if one did
}

// newJob starts a job under ctx; its stop must be called when the job is over.
func newJob(ctx context.Context, c *call, mon *monitor, stopOnError bool) *job {
	j := &job{c: c, mon: mon, stopOnError: stopOnError}
	j.ctx, j.stop = context.WithCancel(ctx)
	return j
}

// fail records an error met by one item (or by the scan). Once the job is stopping, errors are
// the stop's echoes and are not news.
func (j *job) fail(err error) {
	if j.ctx.Err() != nil {
		return
	}
	if j.stopOnError || transfer.EndsJob(err, j.mon.succeeded()) {
		j.halt(err)
		return
	}
	j.mon.failed.Add(1)
	j.c.reportError(err)
}

// halt ends the job with err, printed once, whatever its kind (the first of several halts wins).
func (j *job) halt(err error) {
	j.stopped.Do(func() {
		j.fatal = err
		j.mon.failed.Add(1)
		j.c.reportError(err)
		if !j.c.json() {
			fmt.Fprintln(j.c.env.Stderr, "Error: the job stops here: this error is not about one file or object alone")
		}
		j.stop()
	})
}

// end prints the summary of how the job ended (interrupted: ctx, the command's, is done;
// stopped by a fatal error; or run to its end) and returns the command's error: the interrupt,
// or someFailedError when any item failed.
func (j *job) end(ctx context.Context, dryRun bool) error {
	switch {
	case ctx.Err() != nil:
		j.mon.finish(outcomeInterrupted, dryRun)
		return ctx.Err()
	case j.fatal != nil:
		j.mon.finish(outcomeStopped, dryRun)
	default:
		j.mon.finish(outcomeCompleted, dryRun)
	}
	j.c.elapsed()
	if n := j.mon.failed.Load(); n > 0 {
		return &someFailedError{n: int(n)}
	}
	return nil
}
