package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// figure is one measured value, one row of the table.
type figure struct {
	Scenario string `json:"scenario"`
	Store    string `json:"store"` // "net/http" for the baseline, else sqlite or postgres
	// Load is the generator that drove the figure (genWrk, genBuiltin), ""
	// for figures no generator shapes (memory, counts).
	Load   string   `json:"load,omitempty"`
	Name   string   `json:"figure"`
	Value  float64  `json:"value"`
	Unit   string   `json:"unit"`
	Ratio  *float64 `json:"ratio_to_baseline,omitempty"`
	Target *target  `json:"target,omitempty"`
	Met    *bool    `json:"met,omitempty"`
	// base names the baseline figure the ratio divides by: "rate", "p50",
	// "p99", or "" for figures with nothing comparable (memory, counts).
	base string
}

// target is a goal from the issue. OfBaseline compares the ratio to the
// baseline instead of the value.
type target struct {
	Op         string  `json:"op"` // ">=" or "<="
	Value      float64 `json:"value"`
	OfBaseline bool    `json:"of_baseline,omitempty"`
}

func atLeast(v float64) *target         { return &target{Op: ">=", Value: v} }
func atMost(v float64) *target          { return &target{Op: "<=", Value: v} }
func baselineAtLeast(v float64) *target { return &target{Op: ">=", Value: v, OfBaseline: true} }

// report collects figures and the failures of scenarios that could not finish.
type report struct {
	Started  time.Time         `json:"started_at"`
	Seconds  float64           `json:"run_seconds"`
	Host     map[string]string `json:"host"`
	Settings map[string]string `json:"settings"`
	// LoadGenerators says which generator drove what; RatioBase is the one
	// whose baseline every ratio divides by (wrk when it ran).
	LoadGenerators map[string]string `json:"load_generators,omitempty"`
	RatioBase      string            `json:"ratio_base,omitempty"`
	Figures        []*figure         `json:"figures"`
	Failures       []string          `json:"failures,omitempty"`
}

func (r *report) add(f *figure) { r.Figures = append(r.Figures, f) }

// finish fills the ratios to the baseline and whether each target was met.
// Every ratio divides by the baseline of one generator: wrk's when it ran
// (a generator that is not the bottleneck), else the built-in one's. The
// other generator's baseline figures get a ratio too, which says how close
// that generator came.
func (r *report) finish() {
	r.RatioBase = genBuiltin
	for _, f := range r.Figures {
		if f.Scenario == "baseline" && f.Load == genWrk {
			r.RatioBase = genWrk
		}
	}
	isBase := func(f *figure) bool {
		return f.Scenario == "baseline" && (f.Load == r.RatioBase || f.Load == "" && r.RatioBase == genBuiltin)
	}
	base := map[string]float64{}
	for _, f := range r.Figures {
		if isBase(f) && f.base != "" {
			base[f.base] = f.Value
		}
	}
	for _, f := range r.Figures {
		if b, ok := base[f.base]; ok && b > 0 && !isBase(f) {
			v := f.Value / b
			f.Ratio = &v
		}
		if f.Target == nil {
			continue
		}
		v := f.Value
		if f.Target.OfBaseline {
			if f.Ratio == nil {
				continue // no baseline in this run: the target cannot be judged
			}
			v = *f.Ratio
		}
		met := v >= f.Target.Value
		if f.Target.Op == "<=" {
			met = v <= f.Target.Value
		}
		f.Met = &met
	}
}

// writeTable prints the figures as an aligned table.
func (r *report) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "scenario\tstore\tload\tfigure\tvalue\tvs baseline (%s)\ttarget\tmet\n", r.RatioBase)
	for _, f := range r.Figures {
		ratio, tgt, met := "", "", ""
		if f.Ratio != nil {
			ratio = strconv.FormatFloat(*f.Ratio, 'f', 2, 64) + "×"
		}
		if f.Target != nil {
			tgt = f.Target.String(f.Unit)
			met = "n/a"
			if f.Met != nil {
				met = map[bool]string{true: "met", false: "MISSED"}[*f.Met]
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Scenario, f.Store, f.Load, f.Name, formatValue(f.Value, f.Unit), ratio, tgt, met)
	}
	for _, e := range r.Failures {
		fmt.Fprintf(tw, "FAILED\t\t\t%s\t\t\t\t\n", e)
	}
	return tw.Flush()
}

func (t *target) String(unit string) string {
	if t.OfBaseline {
		return fmt.Sprintf("%s %g× baseline", t.Op, t.Value)
	}
	return t.Op + " " + formatValue(t.Value, unit)
}

// writeJSON writes the same figures as the table.
func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// formatValue renders a value in its unit for the table.
func formatValue(v float64, unit string) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case strings.HasSuffix(unit, "/s"):
		return thousands(v) + " " + unit
	case unit == "ms":
		return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
	case unit == "MB":
		return strconv.FormatFloat(v, 'f', 1, 64) + " MB"
	case unit == "s":
		return strconv.FormatFloat(v, 'f', 1, 64) + " s"
	case unit == "×":
		return strconv.FormatFloat(v, 'f', 2, 64) + "×"
	case unit == "cores":
		return strconv.FormatFloat(v, 'f', 2, 64) + " cores"
	default:
		return thousands(v)
	}
}

// thousands rounds v and groups its digits by three: 12345.6 → "12,346".
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(math.Abs(v))), 10)
	var b strings.Builder
	if v < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ms converts a duration to fractional milliseconds for figures.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
