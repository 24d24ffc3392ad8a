//go:build race

package server

// raceEnabled: the race detector inflates allocations, so tests that count them skip the count.
const raceEnabled = true
