package isms

// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
// characters from a 31-character alphabet (digits and upper-case letters
// without I, O, Z, S, V); the 18th is a check character over the first 17.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCodeValue returns the value of c in the alphabet, or -1.
func creditCodeValue(c byte) int {
	for i := 0; i < len(creditCodeAlphabet); i++ {
		if creditCodeAlphabet[i] == c {
			return i
		}
	}
	return -1
}

// CreditCodeCheckChar computes the check character for the first 17
// characters of a code. ok is false if any of them is outside the alphabet.
func CreditCodeCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := creditCodeValue(first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	check := 31 - sum%31
	if check == 31 {
		check = 0
	}
	return creditCodeAlphabet[check], true
}

// CheckCreditCode validates a code and returns the message ID of the rule
// it breaks, or "" when it is valid.
func CheckCreditCode(code string) string {
	if len(code) != 18 {
		return "credit_code.length"
	}
	for i := 0; i < 18; i++ {
		if creditCodeValue(code[i]) < 0 {
			return "credit_code.charset"
		}
	}
	// Characters 3–8 are the administrative division code: digits only.
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return "credit_code.division"
		}
	}
	want, _ := CreditCodeCheckChar(code[:17])
	if code[17] != want {
		return "credit_code.check"
	}
	return ""
}
