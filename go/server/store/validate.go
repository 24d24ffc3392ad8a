package store

import (
	"strings"
	"unicode/utf8"
)

// ValidateKey applies OSS's object name rules: 1..1023 bytes of UTF-8, not starting with '/' or
// '\', and no NUL byte. It also refuses a ".." path segment ("../x", "a/../../b"): such a key
// would climb out of its directory wherever keys are mapped to paths (ossfs, a local mirror).
// Disk never builds paths from keys, so this is a guard for others, not for the root.
func ValidateKey(key string) error {
	switch {
	case key == "", len(key) > MaxKeyLen, !utf8.ValidString(key):
		return ErrInvalidKey
	case key[0] == '/' || key[0] == '\\', strings.IndexByte(key, 0) >= 0:
		return ErrInvalidKey
	}
	for _, seg := range strings.FieldsFunc(key, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == ".." {
			return ErrInvalidKey
		}
	}
	return nil
}

// ValidateBucketName applies OSS's bucket name rules: 3..63 characters of lower-case letters,
// digits and '-', not starting or ending with '-'.
func ValidateBucketName(name string) error {
	if len(name) < 3 || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return ErrInvalidBucket
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return ErrInvalidBucket
		}
	}
	return nil
}
