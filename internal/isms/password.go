package isms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckPassword applies an organization's password rules and returns every
// rule the password breaks as field errors on field. username and
// personName are refused as passwords in any letter case.
func CheckPassword(s SecuritySettings, field, password, username, personName string) error {
	var p Problems
	n := utf8.RuneCountInString(password)
	if n < s.PasswordMinLength {
		p.Add(field, "password.too_short", "min", s.PasswordMinLength)
	}
	if n > 128 {
		p.Add(field, "field.too_long", "max", 128)
	}
	if c := passwordClasses(password); c < s.PasswordMinClasses {
		p.Add(field, "password.classes", "min", s.PasswordMinClasses)
	}
	lower := strings.ToLower(password)
	if username != "" && strings.Contains(lower, strings.ToLower(username)) {
		p.Add(field, "password.contains_username")
	}
	if personName != "" && strings.Contains(lower, strings.ToLower(personName)) {
		p.Add(field, "password.contains_name")
	}
	if isSimplePattern(lower) {
		p.Add(field, "password.pattern")
	}
	return p.Err()
}

// passwordClasses counts lower-case letters, upper-case letters, digits and
// everything else as the four classes.
func passwordClasses(pw string) int {
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n
}

// isSimplePattern reports passwords built from a short repeated unit
// ("abcabcabc", "12121212", "aaaaaaaa") or a run of consecutive
// characters, ascending or descending ("12345678", "abcdefgh", "87654321"),
// optionally with one varying class-mixing character at the end
// ("abcdefg1"). Such passwords satisfy length and class counts while being
// among the first an attacker tries.
func isSimplePattern(pw string) bool {
	r := []rune(pw)
	if len(r) == 0 {
		return false
	}
	for _, s := range [][]rune{r, r[:len(r)-1]} {
		if len(s) >= 6 && (repeatsUnit(s) || isRun(s, 1) || isRun(s, -1)) {
			return true
		}
	}
	return repeatsUnit(r)
}

func repeatsUnit(r []rune) bool {
	for unit := 1; unit <= len(r)/2 && unit <= 4; unit++ {
		if len(r)%unit != 0 {
			continue
		}
		ok := true
		for i := unit; i < len(r); i++ {
			if r[i] != r[i-unit] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func isRun(r []rune, step rune) bool {
	for i := 1; i < len(r); i++ {
		if r[i]-r[i-1] != step {
			return false
		}
	}
	return true
}
