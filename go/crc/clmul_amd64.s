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

// func fold16(s uint64, p []byte, k *[2]uint64) (lo, hi uint64)
TEXT ·fold16(SB), NOSPLIT, $0-56
	MOVQ s+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	MOVQ k+32(FP), DX
	MOVOU (DX), X2
	MOVOU (SI), X0
	MOVQ AX, X1
	PXOR X1, X0
	ADDQ $16, SI
	SUBQ $16, CX
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
