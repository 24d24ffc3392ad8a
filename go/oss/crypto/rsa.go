package crypto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
)

// RSA wraps data keys as oss2's RsaProvider does ("RSA/NONE/PKCS1Padding": PKCS#1 v1.5
// encryption), or as its LocalRsaProvider does (OAEP). Either key may be absent: a provider with only the public key writes, one with
// only the private key reads.
type RSA struct {
	Public  *rsa.PublicKey
	Private *rsa.PrivateKey
	// OAEP wraps as oss2's LocalRsaProvider ("RSA/NONE/OAEPWithSHA-1AndMGF1Padding": OAEP with
	// SHA-1 and MGF1-SHA-1, no label) instead.
	OAEP bool
}

// ErrWrongKey is oss2's message when the private key does not open the wrapped key.
var ErrWrongKey = errors.New("Decrypted data error, please check you key pair!")

// ParseRSA reads the keys as oss2 takes them (PEM text; PKCS#1 or PKCS#8/PKIX; with a
// passphrase, an encrypted PKCS#8 key or a legacy encrypted PEM, as pycryptodome writes them).
func ParseRSA(publicPEM, privatePEM, passphrase string) (*RSA, error) {
	r := &RSA{}
	if publicPEM != "" {
		der, err := pemBytes(publicPEM, passphrase)
		if err != nil {
			return nil, err
		}
		if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
			r.Public = k
		} else if k, err := x509.ParsePKIXPublicKey(der); err == nil {
			pub, ok := k.(*rsa.PublicKey)
			if !ok {
				return nil, errors.New("RSA key format is not supported")
			}
			r.Public = pub
		} else if priv, err := parsePrivate(der); err == nil {
			r.Public = &priv.PublicKey // pycryptodome takes a private key where a public one is asked for
		} else {
			return nil, errors.New("RSA key format is not supported")
		}
	}
	if privatePEM != "" {
		der, err := pemBytes(privatePEM, passphrase)
		if err != nil {
			return nil, err
		}
		k, err := parsePrivate(der)
		if err != nil {
			return nil, errors.New("RSA key format is not supported")
		}
		r.Private = k
	}
	return r, nil
}

func parsePrivate(der []byte) (*rsa.PrivateKey, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return priv, nil
}

func pemBytes(text, passphrase string) ([]byte, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("RSA key format is not supported")
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		if passphrase == "" {
			return nil, errors.New("the private key is encrypted, but no passphrase was given")
		}
		return decryptPKCS8(block.Bytes, passphrase)
	}
	//lint:ignore SA1019 oss2's keys (pycryptodome exportKey(passphrase=...)) are legacy encrypted PEM
	if x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck
		if passphrase == "" {
			return nil, errors.New("PEM is encrypted, but no passphrase was given")
		}
		der, err := x509.DecryptPEMBlock(block, []byte(passphrase)) //nolint:staticcheck
		if err != nil {
			return nil, fmt.Errorf("RSA key: %v", err)
		}
		return der, nil
	}
	return block.Bytes, nil
}

// Wrap encrypts a data key or IV with the public key.
func (r *RSA) Wrap(plain []byte) ([]byte, error) {
	if r.Public == nil {
		return nil, errors.New("RsaProvider has no public key to encrypt with")
	}
	if r.OAEP {
		return rsa.EncryptOAEP(sha1.New(), rand.Reader, r.Public, plain, nil)
	}
	return rsa.EncryptPKCS1v15(rand.Reader, r.Public, plain)
}

// unwrapOne decrypts one wrapped data key or IV with the private key; a wrong key is ErrWrongKey.
func (r *RSA) unwrapOne(wrapped []byte) ([]byte, error) {
	if r.Private == nil {
		return nil, errors.New("RsaProvider has no private key to decrypt with")
	}
	// oss2's messages are pycryptodome's: its length and range checks first.
	if k := r.Private.Size(); len(wrapped) != k {
		if r.OAEP {
			return nil, errors.New("Ciphertext with incorrect length.")
		}
		return nil, fmt.Errorf("Ciphertext with incorrect length (not %d bytes)", k)
	}
	if new(big.Int).SetBytes(wrapped).Cmp(r.Private.N) >= 0 {
		return nil, errors.New("Ciphertext too large")
	}
	if r.OAEP {
		plain, err := rsa.DecryptOAEP(sha1.New(), nil, r.Private, wrapped, nil)
		if err != nil {
			return nil, errors.New("Incorrect decryption.")
		}
		return plain, nil
	}
	plain, err := rsa.DecryptPKCS1v15(nil, r.Private, wrapped)
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

// GenerateRSA makes a key pair in the PEM forms pycryptodome exports (oss2's LocalRsaProvider
// writes its files so): the private key as PKCS#1, or with a passphrase as encrypted PKCS#8
// (PBKDF2-HMAC-SHA256, AES-256-CBC); the public key as SubjectPublicKeyInfo, with a passphrase
// in a legacy encrypted PEM (DES-EDE3-CBC).
func GenerateRSA(bits int, passphrase string) (publicPEM, privatePEM string, err error) {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return "", "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return "", "", err
	}
	pubBlock := &pem.Block{Type: "PUBLIC KEY", Bytes: pub}
	privBlock := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
	if passphrase != "" {
		//lint:ignore SA1019 pycryptodome writes a public key with a passphrase this way
		if pubBlock, err = x509.EncryptPEMBlock(rand.Reader, "PUBLIC KEY", pub, []byte(passphrase), x509.PEMCipher3DES); err != nil { //nolint:staticcheck
			return "", "", err
		}
		p8, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return "", "", err
		}
		enc, err := encryptPKCS8(p8, passphrase)
		if err != nil {
			return "", "", err
		}
		privBlock = &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}
	}
	return string(pem.EncodeToMemory(pubBlock)), string(pem.EncodeToMemory(privBlock)), nil
}
