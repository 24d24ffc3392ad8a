package store

import (
	"strings"
	"unicode/utf8"
)

// ValidateKey applies OSS's object name rules: 1..1023 bytes of UTF-8, not starting with '/' or
// '\', and (stricter than OSS, which rejects them later in odd ways) no NUL byte. Keys never become
// file paths in Disk, so "../x" is an ordinary key here, not an escape.
func ValidateKey(key string) error {
	switch {
	case key == "", len(key) > MaxKeyLen, !utf8.ValidString(key):
		return ErrInvalidKey
	case key[0] == '/' || key[0] == '\\', strings.IndexByte(key, 0) >= 0:
		return ErrInvalidKey
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
