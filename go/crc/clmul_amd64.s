#include "textflag.h"

// func cpuHasCLMUL() bool
TEXT ·cpuHasCLMUL(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	SHRL $1, CX
	ANDL $1, CX
	MOVB CX, ret+0(FP)
	RET

// func fold16(s uint64, p []byte, k *[4]uint64) (lo, hi uint64)
//
// k[0:2] fold a block over the next one (16 bytes on), k[2:4] over the block 64 bytes on. While
// 64 bytes or more remain, four blocks are folded side by side (X0, X4, X5, X6): a fold waits
// for the previous carry-less product of its own lane only, so four lanes keep the multiplier
// busy where one waited on it. The lanes are then folded into one, and the rest goes 16 bytes
// at a time.
TEXT ·fold16(SB), NOSPLIT, $0-56
	MOVQ s+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	MOVQ k+32(FP), DX
	MOVOU (DX), X2
	MOVOU 16(DX), X7
	MOVOU (SI), X0
	MOVQ AX, X1
	PXOR X1, X0
	ADDQ $16, SI
	SUBQ $16, CX
	CMPQ CX, $112
	JB loop
	MOVOU (SI), X4
	MOVOU 16(SI), X5
	MOVOU 32(SI), X6
	ADDQ $48, SI
	SUBQ $48, CX
loop4:
	MOVOU X0, X1
	PCLMULQDQ $0x00, X7, X0
	PCLMULQDQ $0x11, X7, X1
	PXOR X1, X0
	MOVOU (SI), X3
	PXOR X3, X0
	MOVOU X4, X1
	PCLMULQDQ $0x00, X7, X4
	PCLMULQDQ $0x11, X7, X1
	PXOR X1, X4
	MOVOU 16(SI), X3
	PXOR X3, X4
	MOVOU X5, X1
	PCLMULQDQ $0x00, X7, X5
	PCLMULQDQ $0x11, X7, X1
	PXOR X1, X5
	MOVOU 32(SI), X3
	PXOR X3, X5
	MOVOU X6, X1
	PCLMULQDQ $0x00, X7, X6
	PCLMULQDQ $0x11, X7, X1
	PXOR X1, X6
	MOVOU 48(SI), X3
	PXOR X3, X6
	ADDQ $64, SI
	SUBQ $64, CX
	CMPQ CX, $64
	JAE loop4
	// Fold the lanes in order: X0 over X4, that over X5, that over X6; the result in X0.
	MOVOU X0, X1
	PCLMULQDQ $0x00, X2, X0
	PCLMULQDQ $0x11, X2, X1
	PXOR X1, X0
	PXOR X4, X0
	MOVOU X0, X1
	PCLMULQDQ $0x00, X2, X0
	PCLMULQDQ $0x11, X2, X1
	PXOR X1, X0
	PXOR X5, X0
	MOVOU X0, X1
	PCLMULQDQ $0x00, X2, X0
	PCLMULQDQ $0x11, X2, X1
	PXOR X1, X0
	PXOR X6, X0
loop:
	CMPQ CX, $16
	JB done
	MOVOU X0, X1
	PCLMULQDQ $0x00, X2, X0
	PCLMULQDQ $0x11, X2, X1
	PXOR X1, X0
	MOVOU (SI), X3
	PXOR X3, X0
	ADDQ $16, SI
	SUBQ $16, CX
	JMP loop
done:
	MOVQ X0, AX
	MOVQ AX, lo+40(FP)
	MOVHLPS X0, X1
	MOVQ X1, AX
	MOVQ AX, hi+48(FP)
	RET
