// Package analysisutil holds small helpers that every testraces analyzer
// shares and that have nothing to do with tests: reading an analyzer's
// documentation out of its doc.go, printing expressions, choosing fresh names,
// telling a fixed point which functions to compute again.
package analysisutil

import (
	"fmt"
	"strings"
)

// MustExtractDoc returns the "# Analyzer name" section of a package doc
// comment (the contents of an analyzer's doc.go), in the form that
// analysis.Analyzer.Doc expects: the summary after "name: ", then the body.
// It panics if the section is missing, which a test of every analyzer catches.
func MustExtractDoc(content, name string) string {
	doc, err := extractDoc(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func extractDoc(content, name string) (string, error) {
	start := strings.Index(content, "/*")
	if i := strings.Index(content, "//"); i >= 0 && (start < 0 || i < start) {
		start = i
	}
	if start < 0 {
		return "", fmt.Errorf("doc.go has no comment")
	}
	var lines []string
	for _, line := range strings.Split(content[start:], "\n") {
		if !strings.HasPrefix(line, "//") {
			break
		}
		line = strings.TrimPrefix(line, "//")
		line = strings.TrimPrefix(line, " ")
		lines = append(lines, line)
	}
	heading := "# Analyzer " + name
	for i, line := range lines {
		if strings.TrimSpace(line) != heading {
			continue
		}
		var body []string
		for _, l := range lines[i+1:] {
			if strings.HasPrefix(l, "# ") {
				break
			}
			body = append(body, l)
		}
		text := strings.TrimSpace(strings.Join(body, "\n"))
		prefix := name + ": "
		if !strings.HasPrefix(text, prefix) {
			return "", fmt.Errorf("section %q does not start with %q", heading, prefix)
		}
		return strings.TrimPrefix(text, prefix), nil
	}
	return "", fmt.Errorf("doc.go has no %q section", heading)
}
