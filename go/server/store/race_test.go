//go:build race

package store

// raceEnabled: the race detector inflates allocations, so tests that count them skip.
const raceEnabled = true
