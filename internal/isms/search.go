package isms

import "strings"

// NameTerms returns the search terms of a name: every character and every
// pair of adjacent characters, lower-cased, without repeats. A query of one
// or two characters is then one term; a longer query is a candidate set (the
// term of its first pair) checked against the full text.
func NameTerms(name string) []string {
	r := []rune(strings.ToLower(strings.TrimSpace(name)))
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if strings.TrimSpace(s) != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i := range r {
		add(string(r[i]))
		if i+1 < len(r) {
			add(string(r[i : i+2]))
		}
	}
	return out
}

// QueryTerm returns the term every name containing q holds (see
// NameTerms): q itself when it is one or two characters long, else its
// first two characters; longer queries are then checked against the name.
func QueryTerm(q string) string {
	r := []rune(strings.ToLower(q))
	if len(r) <= 2 {
		return string(r)
	}
	return string(r[:2])
}
