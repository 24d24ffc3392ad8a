package server

import (
	"net"
	"sync"
	"time"
)

// shapedListener caps each accepted connection at rate bytes per second in each direction.
type shapedListener struct {
	net.Listener
	rate int64
}

func (l *shapedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &shapedConn{Conn: c, in: newPacer(l.rate), out: newPacer(l.rate)}, nil
}

type shapedConn struct {
	net.Conn
	in, out *pacer
}

// Read takes at most one burst at a time so a large buffer cannot jump ahead of the rate.
func (c *shapedConn) Read(p []byte) (int, error) {
	if len(p) > c.in.burst {
		p = p[:c.in.burst]
	}
	n, err := c.Conn.Read(p)
	c.in.wait(n)
	return n, err
}

func (c *shapedConn) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), c.out.burst)]
		c.out.wait(len(chunk))
		n, err := c.Conn.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// pacer is a token bucket kept as a virtual clock: each byte moves `due` forward by 1/rate, and
// a caller sleeps while due is more than one burst's worth of time ahead of now. An idle
// connection cannot save up more than one burst.
type pacer struct {
	mu    sync.Mutex
	rate  float64 // bytes per second
	burst int     // bytes
	due   time.Time
}

func newPacer(rate int64) *pacer {
	// A burst of 10 ms of traffic (at least 16 KiB) keeps syscalls few and timing accurate.
	burst := max(int(rate/100), 16<<10)
	return &pacer{rate: float64(rate), burst: burst}
}

func (p *pacer) wait(n int) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	now := time.Now()
	slack := time.Duration(float64(p.burst) / p.rate * float64(time.Second))
	if p.due.Before(now.Add(-slack)) {
		p.due = now.Add(-slack)
	}
	p.due = p.due.Add(time.Duration(float64(n) / p.rate * float64(time.Second)))
	sleep := p.due.Sub(now)
	p.mu.Unlock()
	if sleep > 0 {
		time.Sleep(sleep)
	}
}
