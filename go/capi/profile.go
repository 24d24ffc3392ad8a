package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// pj_cpuprofile_start writes a CPU profile of the library's Go code (pprof's format) to path
// until pj_cpuprofile_stop: pyjindo/_binding.py calls them when PYJINDO_CPUPROFILE names a file,
// at load and at exit. Returns NULL, or an error message (free it with pj_free).
//
//export pj_cpuprofile_start
func pj_cpuprofile_start(path *C.char) (errOut *C.char) {
	defer func() {
		if r := recover(); r != nil {
			errOut = C.CString(fmt.Sprintf("pyjindo internal error: %v", r))
		}
	}()
	f, err := os.Create(C.GoString(path))
	if err != nil {
		return C.CString(err.Error())
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return C.CString(fmt.Sprintf("%s: %v", f.Name(), err))
	}
	return nil // the file stays open, written by the profiler, until the process ends
}

// pj_cpuprofile_stop ends the profile pj_cpuprofile_start began and writes it out.
//
//export pj_cpuprofile_stop
func pj_cpuprofile_stop() {
	defer recoverInto(nil)
	pprof.StopCPUProfile()
}
