package isms

import (
	"strings"
	"unicode/utf8"
)

// ValidID reports whether s has the form of a UUID (8-4-4-4-12 hex digits),
// the form of every primary key. Checking before a query turns a garbled ID
// into a clear 400 instead of a not-found.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// checkText validates a free-text field: trimmed, required if asked, at
// most max characters (runes, so a Chinese name counts characters, not
// bytes), and free of control characters.
func checkText(p *Problems, field, value string, required bool, max int) {
	if required && strings.TrimSpace(value) == "" {
		p.Add(field, "field.required")
		return
	}
	if utf8.RuneCountInString(value) > max {
		p.Add(field, "field.too_long", "max", max)
		return
	}
	if !utf8.ValidString(value) {
		p.Add(field, "field.bad_encoding")
		return
	}
	for _, r := range value {
		if r < 0x20 && r != '\t' || r == 0x7f {
			p.Add(field, "field.control_chars")
			return
		}
	}
}

// checkOptionalID validates a reference field that may be empty.
func checkOptionalID(p *Problems, field, value string) {
	if value != "" && !ValidID(value) {
		p.Add(field, "field.bad_id")
	}
}

// checkEmail is deliberately loose: one @, something on each side, no
// spaces. Mail servers are the authority on the rest.
func checkEmail(p *Problems, field, value string) {
	if value == "" {
		return
	}
	checkText(p, field, value, false, 254)
	at := strings.LastIndexByte(value, '@')
	if at < 1 || at == len(value)-1 || strings.ContainsAny(value, " \t") || !strings.Contains(value[at:], ".") {
		p.Add(field, "field.bad_email")
	}
}

// checkPhone accepts digits with the separators people write: + - space ( ).
func checkPhone(p *Problems, field, value string) {
	if value == "" {
		return
	}
	digits := 0
	for _, r := range value {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')':
		default:
			p.Add(field, "field.bad_phone")
			return
		}
	}
	if digits < 5 || digits > 20 {
		p.Add(field, "field.bad_phone")
	}
}

// TrimFields trims surrounding spaces from every string pointer given.
func TrimFields(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}
