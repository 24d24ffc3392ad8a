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

// func cpuHasWideCLMUL() bool
//
// VPCLMULQDQ on 512-bit registers: CPUID leaf 7 reports AVX-512 F (EBX bit 16) and VPCLMULQDQ
// (ECX bit 10), and the OS saves the vector state (OSXSAVE, then XCR0 bits 1, 2 and 5-7:
// SSE, AVX, opmask and the ZMM halves).
TEXT ·cpuHasWideCLMUL(SB), NOSPLIT, $0-1
	MOVB $0, ret+0(FP)
	MOVL $0, AX
	CPUID
	CMPL AX, $7
	JB no
	MOVL $1, AX
	XORL CX, CX
	CPUID
	BTL $27, CX
	JCC no
	MOVL $7, AX
	XORL CX, CX
	CPUID
	BTL $16, BX
	JCC no
	BTL $10, CX
	JCC no
	XORL CX, CX
	XGETBV
	ANDL $0xE6, AX
	CMPL AX, $0xE6
	JNE no
	MOVB $1, ret+0(FP)
no:
	RET

// func foldWide(s uint64, p []byte, k *[6]uint64) (lo, hi uint64)
//
// fold16 on 512-bit registers, for p of at least 256 bytes (a multiple of 16): four registers
// of four 16-byte blocks each take 256 bytes a round, every block folded over the one 256 bytes
// on (k[0:2]); then the registers are folded into one 64 bytes apart (k[2:4]), its four blocks
// into one 16 bytes apart (k[4:6]), and the rest goes 16 bytes at a time. VPTERNLOGQ $0x96 is a
// three-way XOR.
TEXT ·foldWide(SB), NOSPLIT, $0-56
	MOVQ s+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	MOVQ k+32(FP), DX
	VBROADCASTI32X4 (DX), Z8
	VBROADCASTI32X4 16(DX), Z9
	VMOVDQU 32(DX), X10
	VMOVQ AX, X4
	VMOVDQU64 (SI), Z0
	VPXORQ Z4, Z0, Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	ADDQ $256, SI
	SUBQ $256, CX
wideloop:
	CMPQ CX, $256
	JB widereduce
	VPCLMULQDQ $0x00, Z8, Z0, Z4
	VPCLMULQDQ $0x11, Z8, Z0, Z0
	VPTERNLOGQ $0x96, (SI), Z4, Z0
	VPCLMULQDQ $0x00, Z8, Z1, Z5
	VPCLMULQDQ $0x11, Z8, Z1, Z1
	VPTERNLOGQ $0x96, 64(SI), Z5, Z1
	VPCLMULQDQ $0x00, Z8, Z2, Z6
	VPCLMULQDQ $0x11, Z8, Z2, Z2
	VPTERNLOGQ $0x96, 128(SI), Z6, Z2
	VPCLMULQDQ $0x00, Z8, Z3, Z7
	VPCLMULQDQ $0x11, Z8, Z3, Z3
	VPTERNLOGQ $0x96, 192(SI), Z7, Z3
	ADDQ $256, SI
	SUBQ $256, CX
	JMP wideloop
widereduce:
	VPCLMULQDQ $0x00, Z9, Z0, Z4
	VPCLMULQDQ $0x11, Z9, Z0, Z0
	VPTERNLOGQ $0x96, Z4, Z1, Z0
	VPCLMULQDQ $0x00, Z9, Z0, Z4
	VPCLMULQDQ $0x11, Z9, Z0, Z0
	VPTERNLOGQ $0x96, Z4, Z2, Z0
	VPCLMULQDQ $0x00, Z9, Z0, Z4
	VPCLMULQDQ $0x11, Z9, Z0, Z0
	VPTERNLOGQ $0x96, Z4, Z3, Z0
	VEXTRACTI32X4 $1, Z0, X1
	VEXTRACTI32X4 $2, Z0, X2
	VEXTRACTI32X4 $3, Z0, X3
	VPCLMULQDQ $0x00, X10, X0, X4
	VPCLMULQDQ $0x11, X10, X0, X0
	VPXOR X4, X0, X0
	VPXOR X1, X0, X0
	VPCLMULQDQ $0x00, X10, X0, X4
	VPCLMULQDQ $0x11, X10, X0, X0
	VPXOR X4, X0, X0
	VPXOR X2, X0, X0
	VPCLMULQDQ $0x00, X10, X0, X4
	VPCLMULQDQ $0x11, X10, X0, X0
	VPXOR X4, X0, X0
	VPXOR X3, X0, X0
widetail:
	CMPQ CX, $16
	JB widedone
	VPCLMULQDQ $0x00, X10, X0, X4
	VPCLMULQDQ $0x11, X10, X0, X0
	VPXOR (SI), X4, X4
	VPXOR X4, X0, X0
	ADDQ $16, SI
	SUBQ $16, CX
	JMP widetail
widedone:
	VMOVQ X0, AX
	MOVQ AX, lo+40(FP)
	VPEXTRQ $1, X0, AX
	MOVQ AX, hi+48(FP)
	VZEROUPPER
	RET
