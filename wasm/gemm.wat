;; gemm.wat: the matrix products of nndl.matmul, in WebAssembly with 128-bit SIMD.
;;
;; Every value is a float64; a v128 register holds two of them (f64x2). Only plain f64x2.mul and
;; f64x2.add are used, never a fused multiply-add (relaxed SIMD would let the browser choose
;; whether to round once or twice): the results are the same on every machine, and equal A @ B to
;; rounding (the same products, summed in another order).
;;
;; The module has no memory of its own: it imports Python's (Pyodide's WebAssembly.Memory) and
;; reads and writes NumPy arrays where they lie, by address (arr.ctypes.data). It is loaded as an
;; Emscripten "side module", like the shared libraries of Pyodide's packages: wasm/build_gemm.mjs
;; adds the small `dylink.0` section that says so (no data, no table), and Python opens it with
;; ctypes.CDLL. The import declares no maximum size, so any memory Pyodide makes fits.
;;
;; Exported functions (pointers are byte addresses, sizes and strides count float64 elements):
;;   gemm(n, p, k, A, a_row, a_col, B, b_row, b_col, C, work)
;;       C = A B for A (n, k), B (k, p): any strides, so C-ordered, Fortran-ordered (transposed)
;;       operands alike; C (n, p) C-ordered. work: work_bytes() bytes of scratch memory.
;;   gemv_dot(rows, k, M, ldm, x, y)    y = M x, M's rows contiguous (M[i, l] at M + i·ldm + l)
;;   gemv_axpy(rows, k, M, ldm, x, y)   y = M x, M's columns contiguous (M[i, l] at M + l·ldm + i)
;;   work_bytes()                       the size of gemm's scratch memory
;;
;; How gemm is fast (the scheme of BLIS and of OpenBLAS itself, shrunk to one micro-kernel):
;;   * Register blocking. C is computed in 4×4 tiles. A tile lives in 8 v128 registers (4 rows ×
;;     2 pairs of columns) for the whole sum over k; each step of k loads 4 values of B (2 v128),
;;     4 values of A (each splatted to both lanes) and does 16 multiply-adds. 8 accumulators, 2
;;     values of B and 1 of A fit the 16 vector registers of x86-64 and ARM64 engines without
;;     spilling, and the 8 independent sums keep the adders busy. (Unrolling the loop over k by
;;     two was measured slower in V8: it then runs out of registers.)
;;   * Packing. Before the tiles are computed, a block of A (MC × KC) and a panel of B (KC × 4)
;;     are copied into the scratch memory in exactly the order the micro-kernel reads them: the
;;     4 values of A of one step side by side, then the 4 of B. The micro-kernel then reads two
;;     consecutive streams, whatever the operands' strides; this is also the only place that
;;     knows about strides, so every memory order of A and B takes the same fast path. Missing
;;     rows and columns at the edges are packed as zeros, and only the valid part of the last
;;     tiles is written back.
;;   * Cache blocking. k is cut into blocks of KC = 256 and the rows into blocks of MC = 64: the
;;     packed block of A (128 KiB at most) stays in the L2 cache while every panel of B passes
;;     by, and a packed panel of B (8 KiB) stays in L1 while all the row tiles of the block use it.
;;     The blocks of k are added into C one after the other.
;; The two matrix-times-vector kernels read each element of M once: there the speed is that of
;; memory, and packing would only add to it. gemv_dot keeps 4 rows' sums in f64x2 registers
;; (even and odd k in the two lanes), adds the lanes at the end; gemv_axpy adds 4 columns at a
;; time into y, two rows per register.

(module
  (import "env" "memory" (memory 1))

  ;; Block sizes of gemm (see above). MC is a multiple of 4.
  (global $KC i32 (i32.const 256))
  (global $MC i32 (i32.const 64))

  ;; Scratch memory of gemm: a 4×4 tile (128 bytes), a packed panel of B (KC·4 values), a packed
  ;; block of A (MC·KC values).
  (func $work_bytes (export "work_bytes") (result i32)
    (i32.add (i32.const 128)
      (i32.mul (i32.const 8)
        (i32.add (i32.mul (global.get $KC) (i32.const 4))
                 (i32.mul (global.get $MC) (global.get $KC))))))

  ;; ---- Packing ------------------------------------------------------------------------------

  ;; Copy A[0:mc, 0:kc] (element (i, l) at A + 8·(i·rs + l·cs)) to dst in panels of 4 rows:
  ;; panel q holds, for l = 0 … kc-1, the values A[4q + 0..3, l] side by side (zeros for rows
  ;; ≥ mc). Panel q starts at dst + 32·kc·q.
  (func $pack_a (param $A i32) (param $rs i32) (param $cs i32) (param $mc i32) (param $kc i32)
                (param $dst i32)
    (local $i i32) (local $r i32) (local $l i32) (local $src i32) (local $step i32)
    (local $rows i32)
    (local.set $step (i32.shl (local.get $cs) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done_panels
      (loop $panels
        (br_if $done_panels (i32.ge_s (local.get $i) (local.get $mc)))
        ;; rows of this panel that exist
        (local.set $rows (i32.sub (local.get $mc) (local.get $i)))
        (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
        ;; one row at a time: row i+r goes to dst + 8r, dst + 8r + 32, …
        (local.set $r (i32.const 0))
        (loop $each_row
          (local.set $src (i32.add (local.get $A)
            (i32.shl (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $rs)) (i32.const 3))))
          (local.set $l (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
          (if (i32.lt_s (local.get $r) (local.get $rows))
            (then
              (loop $copy
                (f64.store (local.get $l) (f64.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $step)))
                (local.set $l (i32.add (local.get $l) (i32.const 32)))
                (br_if $copy (i32.lt_u (local.get $l)
                  (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5)))))))
            (else
              (loop $zero
                (f64.store (local.get $l) (f64.const 0))
                (local.set $l (i32.add (local.get $l) (i32.const 32)))
                (br_if $zero (i32.lt_u (local.get $l)
                  (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $each_row (i32.lt_s (local.get $r) (i32.const 4))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $panels))))

  ;; Copy B[0:kc, 0:nr] (element (l, j) at B + 8·(l·rs + j·cs)), nr ≤ 4, to dst: for each l the
  ;; values B[l, 0..3] side by side (zeros for columns ≥ nr). When the 4 columns are
  ;; contiguous (a C-ordered B), a step copies two v128 at once.
  (func $pack_b (param $B i32) (param $rs i32) (param $cs i32) (param $kc i32) (param $nr i32)
                (param $dst i32)
    (local $end i32) (local $step i32) (local $j i32) (local $src i32) (local $to i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))
    (local.set $step (i32.shl (local.get $rs) (i32.const 3)))
    (if (i32.and (i32.eq (local.get $nr) (i32.const 4)) (i32.eq (local.get $cs) (i32.const 1)))
      (then
        (loop $rows
          (v128.store (local.get $dst) (v128.load (local.get $B)))
          (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $B)))
          (local.set $B (i32.add (local.get $B) (local.get $step)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (br_if $rows (i32.lt_u (local.get $dst) (local.get $end))))
        (return)))
    ;; Otherwise one column at a time: column j goes to dst + 8j, dst + 8j + 32, …
    (local.set $j (i32.const 0))
    (loop $columns
      (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
      (if (i32.lt_s (local.get $j) (local.get $nr))
        (then
          (local.set $src (i32.add (local.get $B)
            (i32.shl (i32.mul (local.get $j) (local.get $cs)) (i32.const 3))))
          (loop $copy
            (f64.store (local.get $to) (f64.load (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $step)))
            (local.set $to (i32.add (local.get $to) (i32.const 32)))
            (br_if $copy (i32.lt_u (local.get $to) (local.get $end)))))
        (else
          (loop $zero
            (f64.store (local.get $to) (f64.const 0))
            (local.set $to (i32.add (local.get $to) (i32.const 32)))
            (br_if $zero (i32.lt_u (local.get $to) (local.get $end))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $columns (i32.lt_s (local.get $j) (i32.const 4)))))

  ;; ---- The micro-kernel --------------------------------------------------------------------

  ;; The 4×4 tile T = Σ_l Ap[l] ⊗ Bp[l] over kc ≥ 1 steps of a packed panel of A and of B, then
  ;; C[0:mr, 0:nr] = T (add = 0) or += T (add = 1); C is C-ordered with ldc values per row.
  ;; Partial tiles (mr or nr < 4) go through the 128 bytes at tile.
  (func $micro (param $Ap i32) (param $Bp i32) (param $kc i32) (param $C i32) (param $ldc i32)
               (param $mr i32) (param $nr i32) (param $add i32) (param $tile i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local $end i32) (local $row i32) (local $r i32) (local $j i32) (local $to i32) (local $v f64)
    (local.set $end (i32.add (local.get $Bp) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $k
      (local.set $b0 (v128.load (local.get $Bp)))
      (local.set $b1 (v128.load offset=16 (local.get $Bp)))
      (local.set $a (v128.load64_splat (local.get $Ap)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=8 (local.get $Ap)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=16 (local.get $Ap)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=24 (local.get $Ap)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $Ap (i32.add (local.get $Ap) (i32.const 32)))
      (local.set $Bp (i32.add (local.get $Bp) (i32.const 32)))
      (br_if $k (i32.lt_u (local.get $Bp) (local.get $end))))
    (if (i32.and (i32.eq (local.get $mr) (i32.const 4)) (i32.eq (local.get $nr) (i32.const 4)))
      (then
        ;; A whole tile: straight into C.
        (local.set $row (i32.shl (local.get $ldc) (i32.const 3)))
        (if (local.get $add)
          (then
            (local.set $c00 (f64x2.add (local.get $c00) (v128.load (local.get $C))))
            (local.set $c01 (f64x2.add (local.get $c01) (v128.load offset=16 (local.get $C))))
            (local.set $to (i32.add (local.get $C) (local.get $row)))
            (local.set $c10 (f64x2.add (local.get $c10) (v128.load (local.get $to))))
            (local.set $c11 (f64x2.add (local.get $c11) (v128.load offset=16 (local.get $to))))
            (local.set $to (i32.add (local.get $to) (local.get $row)))
            (local.set $c20 (f64x2.add (local.get $c20) (v128.load (local.get $to))))
            (local.set $c21 (f64x2.add (local.get $c21) (v128.load offset=16 (local.get $to))))
            (local.set $to (i32.add (local.get $to) (local.get $row)))
            (local.set $c30 (f64x2.add (local.get $c30) (v128.load (local.get $to))))
            (local.set $c31 (f64x2.add (local.get $c31) (v128.load offset=16 (local.get $to))))))
        (v128.store (local.get $C) (local.get $c00))
        (v128.store offset=16 (local.get $C) (local.get $c01))
        (local.set $C (i32.add (local.get $C) (local.get $row)))
        (v128.store (local.get $C) (local.get $c10))
        (v128.store offset=16 (local.get $C) (local.get $c11))
        (local.set $C (i32.add (local.get $C) (local.get $row)))
        (v128.store (local.get $C) (local.get $c20))
        (v128.store offset=16 (local.get $C) (local.get $c21))
        (local.set $C (i32.add (local.get $C) (local.get $row)))
        (v128.store (local.get $C) (local.get $c30))
        (v128.store offset=16 (local.get $C) (local.get $c31))
        (return)))
    ;; A partial tile (the last rows or columns): via the scratch tile, element by element.
    (v128.store offset=0 (local.get $tile) (local.get $c00))
    (v128.store offset=16 (local.get $tile) (local.get $c01))
    (v128.store offset=32 (local.get $tile) (local.get $c10))
    (v128.store offset=48 (local.get $tile) (local.get $c11))
    (v128.store offset=64 (local.get $tile) (local.get $c20))
    (v128.store offset=80 (local.get $tile) (local.get $c21))
    (v128.store offset=96 (local.get $tile) (local.get $c30))
    (v128.store offset=112 (local.get $tile) (local.get $c31))
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $columns
        (local.set $to (i32.add (local.get $C) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $v (f64.load (i32.add (local.get $tile)
          (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 2)) (local.get $j)) (i32.const 3)))))
        (if (local.get $add) (then (local.set $v (f64.add (local.get $v) (f64.load (local.get $to))))))
        (f64.store (local.get $to) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $columns (i32.lt_s (local.get $j) (local.get $nr))))
      (local.set $C (i32.add (local.get $C) (i32.shl (local.get $ldc) (i32.const 3))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rows (i32.lt_s (local.get $r) (local.get $mr)))))

  ;; ---- C = A B -----------------------------------------------------------------------------

  ;; C (n, p) C-ordered = A (n, k) B (k, p), n, p, k ≥ 1; A[i, l] at A + 8·(i·a_row + l·a_col),
  ;; B[l, j] at B + 8·(l·b_row + j·b_col). Loops, outermost first: blocks of k (KC), blocks of
  ;; rows (MC; A's block is packed), panels of 4 columns (B's panel is packed), tiles of 4 rows.
  (func $gemm (export "gemm")
    (param $n i32) (param $p i32) (param $k i32)
    (param $A i32) (param $a_row i32) (param $a_col i32)
    (param $B i32) (param $b_row i32) (param $b_col i32)
    (param $C i32) (param $work i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32) (local $jc i32) (local $nr i32)
    (local $ir i32) (local $mr i32) (local $Bp i32) (local $Ap i32) (local $add i32)
    (local.set $Bp (i32.add (local.get $work) (i32.const 128)))
    (local.set $Ap (i32.add (local.get $Bp) (i32.shl (global.get $KC) (i32.const 5))))
    (local.set $pc (i32.const 0))
    (loop $k_blocks
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_s (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
      (local.set $add (i32.ne (local.get $pc) (i32.const 0)))
      (local.set $ic (i32.const 0))
      (loop $row_blocks
        (local.set $mc (i32.sub (local.get $n) (local.get $ic)))
        (if (i32.gt_s (local.get $mc) (global.get $MC)) (then (local.set $mc (global.get $MC))))
        (call $pack_a
          (i32.add (local.get $A) (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $a_row))
                                                     (i32.mul (local.get $pc) (local.get $a_col)))
                                            (i32.const 3)))
          (local.get $a_row) (local.get $a_col) (local.get $mc) (local.get $kc) (local.get $Ap))
        (local.set $jc (i32.const 0))
        (loop $panels
          (local.set $nr (i32.sub (local.get $p) (local.get $jc)))
          (if (i32.gt_s (local.get $nr) (i32.const 4)) (then (local.set $nr (i32.const 4))))
          (call $pack_b
            (i32.add (local.get $B) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $b_row))
                                                       (i32.mul (local.get $jc) (local.get $b_col)))
                                              (i32.const 3)))
            (local.get $b_row) (local.get $b_col) (local.get $kc) (local.get $nr) (local.get $Bp))
          (local.set $ir (i32.const 0))
          (loop $tiles
            (local.set $mr (i32.sub (local.get $mc) (local.get $ir)))
            (if (i32.gt_s (local.get $mr) (i32.const 4)) (then (local.set $mr (i32.const 4))))
            (call $micro
              (i32.add (local.get $Ap) (i32.mul (local.get $ir) (i32.shl (local.get $kc) (i32.const 3))))
              (local.get $Bp) (local.get $kc)
              (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir))
                                                                 (local.get $p))
                                                        (local.get $jc))
                                               (i32.const 3)))
              (local.get $p) (local.get $mr) (local.get $nr) (local.get $add) (local.get $work))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br_if $tiles (i32.lt_s (local.get $ir) (local.get $mc))))
          (local.set $jc (i32.add (local.get $jc) (i32.const 4)))
          (br_if $panels (i32.lt_s (local.get $jc) (local.get $p))))
        (local.set $ic (i32.add (local.get $ic) (global.get $MC)))
        (br_if $row_blocks (i32.lt_s (local.get $ic) (local.get $n))))
      (local.set $pc (i32.add (local.get $pc) (global.get $KC)))
      (br_if $k_blocks (i32.lt_s (local.get $pc) (local.get $k)))))

  ;; ---- y = M x -----------------------------------------------------------------------------

  ;; One row's sum Σ_l M[l] x[l] over k ≥ 1 values, contiguous: even l in lane 0, odd l in
  ;; lane 1, the lanes added, then the last value if k is odd. gemv_dot sums its 4-row blocks in
  ;; exactly this order too, so a row's result does not depend on where it falls.
  (func $dot (param $M i32) (param $x i32) (param $k i32) (result f64)
    (local $acc v128) (local $end i32) (local $s f64)
    (local.set $end (i32.add (local.get $M) (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $M) (local.get $end)))
        (local.set $acc (f64x2.add (local.get $acc)
          (f64x2.mul (v128.load (local.get $M)) (v128.load (local.get $x)))))
        (local.set $M (i32.add (local.get $M) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $pairs)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (if (i32.and (local.get $k) (i32.const 1))
      (then (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $M)) (f64.load (local.get $x)))))))
    (local.get $s))

  ;; y[i] = Σ_l M[i·ldm + l] x[l], i < rows; x and each row of M contiguous. 4 rows at a time
  ;; share each pair of x.
  (func $gemv_dot (export "gemv_dot")
    (param $rows i32) (param $k i32) (param $M i32) (param $ldm i32) (param $x i32) (param $y i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local $i i32) (local $l i32) (local $k2 i32) (local $row i32)
    (local $m0 i32) (local $m1 i32) (local $m2 i32) (local $m3 i32) (local $xl i32)
    (local $tail f64)
    (local.set $row (i32.shl (local.get $ldm) (i32.const 3)))
    (local.set $k2 (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done_blocks
      (loop $blocks
        (br_if $done_blocks (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $rows)))
        (local.set $m0 (local.get $M))
        (local.set $m1 (i32.add (local.get $m0) (local.get $row)))
        (local.set $m2 (i32.add (local.get $m1) (local.get $row)))
        (local.set $m3 (i32.add (local.get $m2) (local.get $row)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $l (i32.const 0))
        (block $done_pairs
          (loop $pairs
            (br_if $done_pairs (i32.ge_u (local.get $l) (local.get $k2)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $l))))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (i32.add (local.get $m0) (local.get $l))) (local.get $xv))))
            (local.set $a1 (f64x2.add (local.get $a1)
              (f64x2.mul (v128.load (i32.add (local.get $m1) (local.get $l))) (local.get $xv))))
            (local.set $a2 (f64x2.add (local.get $a2)
              (f64x2.mul (v128.load (i32.add (local.get $m2) (local.get $l))) (local.get $xv))))
            (local.set $a3 (f64x2.add (local.get $a3)
              (f64x2.mul (v128.load (i32.add (local.get $m3) (local.get $l))) (local.get $xv))))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (br $pairs)))
        ;; lanes added, then the odd last value (l = k2 here), as $dot does
        (local.set $xl (i32.add (local.get $x) (local.get $k2)))
        (f64.store offset=0 (local.get $y)
          (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (f64.store offset=8 (local.get $y)
          (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
        (f64.store offset=16 (local.get $y)
          (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2))))
        (f64.store offset=24 (local.get $y)
          (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3))))
        (if (i32.and (local.get $k) (i32.const 1))
          (then
            (local.set $tail (f64.load (local.get $xl)))
            (f64.store offset=0 (local.get $y) (f64.add (f64.load offset=0 (local.get $y))
              (f64.mul (f64.load (i32.add (local.get $m0) (local.get $k2))) (local.get $tail))))
            (f64.store offset=8 (local.get $y) (f64.add (f64.load offset=8 (local.get $y))
              (f64.mul (f64.load (i32.add (local.get $m1) (local.get $k2))) (local.get $tail))))
            (f64.store offset=16 (local.get $y) (f64.add (f64.load offset=16 (local.get $y))
              (f64.mul (f64.load (i32.add (local.get $m2) (local.get $k2))) (local.get $tail))))
            (f64.store offset=24 (local.get $y) (f64.add (f64.load offset=24 (local.get $y))
              (f64.mul (f64.load (i32.add (local.get $m3) (local.get $k2))) (local.get $tail))))))
        (local.set $M (i32.add (local.get $M) (i32.shl (local.get $row) (i32.const 2))))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks)))
    ;; the last rows (fewer than 4), one by one
    (block $done_rows
      (loop $each
        (br_if $done_rows (i32.ge_s (local.get $i) (local.get $rows)))
        (f64.store (local.get $y) (call $dot (local.get $M) (local.get $x) (local.get $k)))
        (local.set $M (i32.add (local.get $M) (local.get $row)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; y[i] = Σ_l M[l·ldm + i] x[l], i < rows; x and each column of M contiguous. y is swept once
  ;; per 4 columns (y += M[:, l:l+4] x[l:l+4]), two rows per v128; then the remaining columns one
  ;; by one. Each row is summed in the same order (l = 0, 1, 2, …), in a lane or not.
  (func $gemv_axpy (export "gemv_axpy")
    (param $rows i32) (param $k i32) (param $M i32) (param $ldm i32) (param $x i32) (param $y i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $acc v128)
    (local $col i32) (local $l i32) (local $i i32) (local $r2 i32) (local $end i32)
    (local $m1 i32) (local $m2 i32) (local $m3 i32) (local $yi i32) (local $v f64)
    (local.set $col (i32.shl (local.get $ldm) (i32.const 3)))
    (local.set $r2 (i32.shl (i32.and (local.get $rows) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $rows) (i32.const 3)))
    ;; y = 0
    (local.set $i (i32.const 0))
    (loop $zero
      (f64.store (i32.add (local.get $y) (local.get $i)) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $zero (i32.lt_u (local.get $i) (local.get $end))))
    (local.set $l (i32.const 0))
    (block $done_quads
      (loop $quads
        (br_if $done_quads (i32.gt_s (i32.add (local.get $l) (i32.const 4)) (local.get $k)))
        (local.set $s0 (v128.load64_splat offset=0 (local.get $x)))
        (local.set $s1 (v128.load64_splat offset=8 (local.get $x)))
        (local.set $s2 (v128.load64_splat offset=16 (local.get $x)))
        (local.set $s3 (v128.load64_splat offset=24 (local.get $x)))
        (local.set $m1 (i32.add (local.get $M) (local.get $col)))
        (local.set $m2 (i32.add (local.get $m1) (local.get $col)))
        (local.set $m3 (i32.add (local.get $m2) (local.get $col)))
        (local.set $i (i32.const 0))
        (block $done_pairs
          (loop $pairs
            (br_if $done_pairs (i32.ge_u (local.get $i) (local.get $r2)))
            (local.set $yi (i32.add (local.get $y) (local.get $i)))
            (local.set $acc (v128.load (local.get $yi)))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $M) (local.get $i))) (local.get $s0))))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $m1) (local.get $i))) (local.get $s1))))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $m2) (local.get $i))) (local.get $s2))))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $m3) (local.get $i))) (local.get $s3))))
            (v128.store (local.get $yi) (local.get $acc))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs)))
        ;; an odd last row
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            (local.set $yi (i32.add (local.get $y) (local.get $i)))
            (local.set $v (f64.load (local.get $yi)))
            (local.set $v (f64.add (local.get $v) (f64.mul (f64.load (i32.add (local.get $M) (local.get $i)))
                                                          (f64x2.extract_lane 0 (local.get $s0)))))
            (local.set $v (f64.add (local.get $v) (f64.mul (f64.load (i32.add (local.get $m1) (local.get $i)))
                                                          (f64x2.extract_lane 0 (local.get $s1)))))
            (local.set $v (f64.add (local.get $v) (f64.mul (f64.load (i32.add (local.get $m2) (local.get $i)))
                                                          (f64x2.extract_lane 0 (local.get $s2)))))
            (local.set $v (f64.add (local.get $v) (f64.mul (f64.load (i32.add (local.get $m3) (local.get $i)))
                                                          (f64x2.extract_lane 0 (local.get $s3)))))
            (f64.store (local.get $yi) (local.get $v))))
        (local.set $M (i32.add (local.get $m3) (local.get $col)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $l (i32.add (local.get $l) (i32.const 4)))
        (br $quads)))
    ;; the remaining columns (fewer than 4), one by one
    (block $done_columns
      (loop $columns
        (br_if $done_columns (i32.ge_s (local.get $l) (local.get $k)))
        (local.set $s0 (v128.load64_splat (local.get $x)))
        (local.set $i (i32.const 0))
        (block $done_pairs1
          (loop $pairs1
            (br_if $done_pairs1 (i32.ge_u (local.get $i) (local.get $r2)))
            (local.set $yi (i32.add (local.get $y) (local.get $i)))
            (v128.store (local.get $yi) (f64x2.add (v128.load (local.get $yi))
              (f64x2.mul (v128.load (i32.add (local.get $M) (local.get $i))) (local.get $s0))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs1)))
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            (local.set $yi (i32.add (local.get $y) (local.get $i)))
            (f64.store (local.get $yi) (f64.add (f64.load (local.get $yi))
              (f64.mul (f64.load (i32.add (local.get $M) (local.get $i))) (f64x2.extract_lane 0 (local.get $s0)))))))
        (local.set $M (i32.add (local.get $M) (local.get $col)))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $columns))))
)
