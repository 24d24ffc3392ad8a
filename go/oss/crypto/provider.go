package crypto

import (
	"context"
	"crypto/rand"
	"encoding/base64"
)

// Wrap algorithms and the data cipher, as oss2 writes them in the object's metadata.
const (
	CEKAlgorithm = "AES/CTR/NoPadding"
	WrapRSA      = "RSA/NONE/PKCS1Padding"
	WrapKMS      = "KMS/ALICLOUD"
)

// Material is one object's (or multipart upload's) content crypto material: the data key and
// IV, and both wrapped by the master key, as the metadata carries them (base64 of these bytes).
type Material struct {
	Key, IV                   []byte
	EncryptedKey, EncryptedIV []byte
}

// Provider makes and opens materials with a master key.
type Provider interface {
	NewMaterial(ctx context.Context) (*Material, error)
	// Unwrap returns the data key and IV of wrapped ones read from an object's metadata.
	Unwrap(ctx context.Context, encryptedKey, encryptedIV []byte) (key, iv []byte, err error)
}

// randomKeyIV is a new data key and IV as oss2 draws them: the IV's bytes 8-11 are zero so the
// low 64 bits of the counter cannot wrap within an object.
func randomKeyIV() (key, iv []byte, err error) {
	buf := make([]byte, KeySize+BlockSize)
	if _, err := rand.Read(buf); err != nil {
		return nil, nil, err
	}
	key, iv = buf[:KeySize], buf[KeySize:]
	clear(iv[8:12])
	return key, iv, nil
}

func (r *RSA) NewMaterial(context.Context) (*Material, error) {
	key, iv, err := randomKeyIV()
	if err != nil {
		return nil, err
	}
	ek, err := r.Wrap(key)
	if err != nil {
		return nil, err
	}
	ei, err := r.Wrap(iv)
	if err != nil {
		return nil, err
	}
	return &Material{Key: key, IV: iv, EncryptedKey: ek, EncryptedIV: ei}, nil
}

func (r *RSA) Unwrap(_ context.Context, encryptedKey, encryptedIV []byte) ([]byte, []byte, error) {
	key, err := r.unwrapOne(encryptedKey)
	if err != nil {
		return nil, nil, err
	}
	iv, err := r.unwrapOne(encryptedIV)
	if err != nil {
		return nil, nil, err
	}
	return key, iv, nil
}

// NewMaterial asks KMS for a data key, and wraps the IV's base64 with Encrypt (oss2's shape:
// both wrapped values are CiphertextBlob strings).
func (k *KMS) NewMaterial(ctx context.Context) (*Material, error) {
	key, blob, err := k.GenerateDataKey(ctx)
	if err != nil {
		return nil, err
	}
	_, iv, err := randomKeyIV()
	if err != nil {
		return nil, err
	}
	ivBlob, err := k.Encrypt(ctx, base64.StdEncoding.EncodeToString(iv))
	if err != nil {
		return nil, err
	}
	return &Material{Key: key, IV: iv, EncryptedKey: []byte(blob), EncryptedIV: []byte(ivBlob)}, nil
}

func (k *KMS) Unwrap(ctx context.Context, encryptedKey, encryptedIV []byte) ([]byte, []byte, error) {
	key, err := k.Decrypt(ctx, string(encryptedKey))
	if err != nil {
		return nil, nil, err
	}
	iv, err := k.Decrypt(ctx, string(encryptedIV))
	if err != nil {
		return nil, nil, err
	}
	return key, iv, nil
}
