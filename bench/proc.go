package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procWatch samples a process's resident memory while a scenario runs and
// measures the CPU it used, which shows whether Hookhub or the bench itself
// had the cores.
type procWatch struct {
	pid      int
	start    time.Time
	cpu0     time.Duration
	stop     chan struct{}
	done     sync.WaitGroup
	mu       sync.Mutex
	maxRSSKB int64
}

func watchProc(pid int) *procWatch {
	w := &procWatch{pid: pid, start: time.Now(), stop: make(chan struct{})}
	w.cpu0, _ = procCPU(pid)
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *procWatch) sample() {
	if kb, err := procStatusKB(w.pid, "VmRSS"); err == nil {
		w.mu.Lock()
		w.maxRSSKB = max(w.maxRSSKB, kb)
		w.mu.Unlock()
	}
}

// procStats is what a watch saw; read before the process exits.
type procStats struct {
	MaxRSSMB float64 // highest sampled VmRSS
	HWMMB    float64 // the kernel's peak (VmHWM) over the process's life
	Cores    float64 // CPU time used per wall second
}

// finish stops sampling and reads the peak and the CPU used.
func (w *procWatch) finish() procStats {
	w.sample()
	close(w.stop)
	w.done.Wait()
	var s procStats
	w.mu.Lock()
	s.MaxRSSMB = float64(w.maxRSSKB) / 1024
	w.mu.Unlock()
	if kb, err := procStatusKB(w.pid, "VmHWM"); err == nil {
		s.HWMMB = float64(kb) / 1024
	}
	if cpu, err := procCPU(w.pid); err == nil {
		s.Cores = (cpu - w.cpu0).Seconds() / time.Since(w.start).Seconds()
	}
	return s
}

// procStatusKB reads one "Name:   123 kB" field of /proc/<pid>/status.
func procStatusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(b) {
		name, rest, ok := strings.Cut(string(line), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			break
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// procCPU is user+system time from /proc/<pid>/stat (fields 14 and 15, in
// clock ticks of 1/100 s on Linux).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; fields are counted after its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad cpu times", pid)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}
