;; @file WebAssembly SIMD (f64x2) kernels behind src/tensor/simd.ts, the fast path of matmul.ts and
;; linalg.ts. Built into dist/src/tensor/simd.wasm by scripts/build-wasm.mjs at
;; `npm run build`; the plain JavaScript kernels stay the reference and the fallback.
;;
;; Conventions: every pointer is a byte offset into the imported memory, matrices are row-major
;; Float64, `ld` is a row stride in bytes. Bytes [0, 128) are the 4x2 scratch blocks of $dot4x2
;; (one per thread, at $scratch); the JavaScript side allocates everything else. Outputs that are accumulated into (vecmat, matmat)
;; must be zeroed by the caller. Sums run over two lanes, so they round differently from the plain
;; kernels' order (to about 1e-16 relative; the tests bound the difference).
;;
;; The memory is shared (simd-threads.ts runs this same module in one worker on it): a product
;; runs as chunks of rows, split between the threads or not (simd-jobs.ts); vecmat and vecmat2
;; sum each chunk into a partial output that the caller adds up.
(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; The 64-byte scratch block of $dot4x2: per instance, since the two threads share the memory
  ;; (the main thread's at byte 0, the worker's at 64).
  (global $scratch (export "scratch") (mut i32) (i32.const 0))

  ;; Σ_k a[k] x[k] for k < n, read front to back through pointers that advance: four accumulators
  ;; of eight entries a pass (no single chain of dependent additions), then pairs, then an odd
  ;; entry; the sums are added as ((s0 + s1) + (s2 + s3)), lanes, tail.
  (func $dot (param $a i32) (param $x i32) (param $n i32) (result f64)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $x)))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $x)))))
      (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $x)))))
      (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $x)))))
      (local.set $a (i32.add (local.get $a) (i32.const 64)))
      (local.set $x (i32.add (local.get $x) (i32.const 64)))
      (br $l)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 6)) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $x)))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $l)))
    (local.set $s0 (f64x2.add (f64x2.add (local.get $s0) (local.get $s1)) (f64x2.add (local.get $s2) (local.get $s3))))
    (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (if (result f64) (i32.and (local.get $n) (i32.const 1))
      (then (f64.add (local.get $t) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $x)))))
      (else (local.get $t))))

  ;; The 4x2 block of dot products D[r][c] = Σ_{k<len} A_r[k] B_c[k] of rows A_r = a + r ld and
  ;; B_c = b + c ld, stored in this thread's scratch block (D[r][c] at $scratch + 16 r + 8 c).
  ;; Eight accumulators, six loads per eight products: the core of Cholesky, the triangular
  ;; inverse and U Uᵀ below.
  (func $dot4x2 (param $a i32) (param $b i32) (param $ld i32) (param $len i32)
    (local $o i32) (local $end i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b1 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $u0 f64) (local $u1 f64) (local $u2 f64) (local $u3 f64) (local $v0 f64) (local $v1 f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $ld)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ld)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ld)))
    (local.set $b1 (i32.add (local.get $b) (local.get $ld)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $y0 (v128.load (i32.add (local.get $b) (local.get $o))))
      (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $o))))
      (local.set $x0 (v128.load (i32.add (local.get $a) (local.get $o))))
      (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $o))))
      (local.set $x2 (v128.load (i32.add (local.get $a2) (local.get $o))))
      (local.set $x3 (v128.load (i32.add (local.get $a3) (local.get $o))))
      (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
      (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
      (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
      (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
      (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x2) (local.get $y0))))
      (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x2) (local.get $y1))))
      (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x3) (local.get $y0))))
      (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x3) (local.get $y1))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $l)))
    ;; an odd len: the last column once more, in scalars, added to lane 0
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $v0 (f64.load (i32.add (local.get $b) (local.get $o))))
      (local.set $v1 (f64.load (i32.add (local.get $b1) (local.get $o))))
      (local.set $u0 (f64.load (i32.add (local.get $a) (local.get $o))))
      (local.set $u1 (f64.load (i32.add (local.get $a1) (local.get $o))))
      (local.set $u2 (f64.load (i32.add (local.get $a2) (local.get $o))))
      (local.set $u3 (f64.load (i32.add (local.get $a3) (local.get $o))))
      (local.set $s00 (f64x2.add (local.get $s00) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u0) (local.get $v0)))))
      (local.set $s01 (f64x2.add (local.get $s01) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u0) (local.get $v1)))))
      (local.set $s10 (f64x2.add (local.get $s10) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u1) (local.get $v0)))))
      (local.set $s11 (f64x2.add (local.get $s11) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u1) (local.get $v1)))))
      (local.set $s20 (f64x2.add (local.get $s20) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u2) (local.get $v0)))))
      (local.set $s21 (f64x2.add (local.get $s21) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u2) (local.get $v1)))))
      (local.set $s30 (f64x2.add (local.get $s30) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u3) (local.get $v0)))))
      (local.set $s31 (f64x2.add (local.get $s31) (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.mul (local.get $u3) (local.get $v1)))))))
    (f64.store offset=0 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
    (f64.store offset=8 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
    (f64.store offset=16 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
    (f64.store offset=24 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
    (f64.store offset=32 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s20)) (f64x2.extract_lane 1 (local.get $s20))))
    (f64.store offset=40 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s21)) (f64x2.extract_lane 1 (local.get $s21))))
    (f64.store offset=48 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s30)) (f64x2.extract_lane 1 (local.get $s30))))
    (f64.store offset=56 (global.get $scratch) (f64.add (f64x2.extract_lane 0 (local.get $s31)) (f64x2.extract_lane 1 (local.get $s31)))))

  ;; y = A x, A m x n, for long rows (simd-jobs.ts picks this or matvecStream below by n). Eight
  ;; rows per sweep share each load of x; leftover rows one at a time. Reading eight rows at once
  ;; costs more than reading one from memory, but for rows past STREAM_MAX_COLUMNS, whose x does
  ;; not stay in the first-level cache beside them, sharing the loads of x pays more (figures in
  ;; docs/performance.md).
  (func (export "matvec") (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $n i32)
    (local $i i32) (local $o i32) (local $end i32) (local $ld i32) (local $xv v128) (local $xs f64)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $p4 i32) (local $p5 i32) (local $p6 i32) (local $p7 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $m)))
      (local.set $p0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $p1 (i32.add (local.get $p0) (local.get $ld)))
      (local.set $p2 (i32.add (local.get $p1) (local.get $ld)))
      (local.set $p3 (i32.add (local.get $p2) (local.get $ld)))
      (local.set $p4 (i32.add (local.get $p3) (local.get $ld)))
      (local.set $p5 (i32.add (local.get $p4) (local.get $ld)))
      (local.set $p6 (i32.add (local.get $p5) (local.get $ld)))
      (local.set $p7 (i32.add (local.get $p6) (local.get $ld)))
      (local.set $s0 (v128.const f64x2 0 0)) (local.set $s1 (v128.const f64x2 0 0))
      (local.set $s2 (v128.const f64x2 0 0)) (local.set $s3 (v128.const f64x2 0 0))
      (local.set $s4 (v128.const f64x2 0 0)) (local.set $s5 (v128.const f64x2 0 0))
      (local.set $s6 (v128.const f64x2 0 0)) (local.set $s7 (v128.const f64x2 0 0))
      (local.set $o (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.gt_u (i32.add (local.get $o) (i32.const 32)) (local.get $end)))
        ;; two column pairs per pass: half the loop overhead
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (i32.add (local.get $p0) (local.get $o))) (local.get $xv))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load (i32.add (local.get $p1) (local.get $o))) (local.get $xv))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load (i32.add (local.get $p2) (local.get $o))) (local.get $xv))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load (i32.add (local.get $p3) (local.get $o))) (local.get $xv))))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (v128.load (i32.add (local.get $p4) (local.get $o))) (local.get $xv))))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (v128.load (i32.add (local.get $p5) (local.get $o))) (local.get $xv))))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (v128.load (i32.add (local.get $p6) (local.get $o))) (local.get $xv))))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (v128.load (i32.add (local.get $p7) (local.get $o))) (local.get $xv))))
        (local.set $xv (v128.load offset=16 (i32.add (local.get $x) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p0) (local.get $o))) (local.get $xv))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p1) (local.get $o))) (local.get $xv))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p2) (local.get $o))) (local.get $xv))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p3) (local.get $o))) (local.get $xv))))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p4) (local.get $o))) (local.get $xv))))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p5) (local.get $o))) (local.get $xv))))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p6) (local.get $o))) (local.get $xv))))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (v128.load offset=16 (i32.add (local.get $p7) (local.get $o))) (local.get $xv))))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $l)))
      (if (i32.lt_u (local.get $o) (local.get $end)) (then
          (local.set $xv (v128.load (i32.add (local.get $x) (local.get $o))))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (i32.add (local.get $p0) (local.get $o))) (local.get $xv))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load (i32.add (local.get $p1) (local.get $o))) (local.get $xv))))
          (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load (i32.add (local.get $p2) (local.get $o))) (local.get $xv))))
          (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load (i32.add (local.get $p3) (local.get $o))) (local.get $xv))))
          (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (v128.load (i32.add (local.get $p4) (local.get $o))) (local.get $xv))))
          (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (v128.load (i32.add (local.get $p5) (local.get $o))) (local.get $xv))))
          (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (v128.load (i32.add (local.get $p6) (local.get $o))) (local.get $xv))))
          (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (v128.load (i32.add (local.get $p7) (local.get $o))) (local.get $xv))))))
      (if (i32.and (local.get $n) (i32.const 1)) (then
        (local.set $xv (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $x) (local.get $end)))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p0) (local.get $end)))) (local.get $xv))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p1) (local.get $end)))) (local.get $xv))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p2) (local.get $end)))) (local.get $xv))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p3) (local.get $end)))) (local.get $xv))))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p4) (local.get $end)))) (local.get $xv))))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p5) (local.get $end)))) (local.get $xv))))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p6) (local.get $end)))) (local.get $xv))))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (f64x2.replace_lane 0 (v128.const f64x2 0 0) (f64.load (i32.add (local.get $p7) (local.get $end)))) (local.get $xv))))))
      (local.set $p0 (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store offset=0 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
      (f64.store offset=8 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
      (f64.store offset=16 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
      (f64.store offset=24 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
      (f64.store offset=32 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s4)) (f64x2.extract_lane 1 (local.get $s4))))
      (f64.store offset=40 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s5)) (f64x2.extract_lane 1 (local.get $s5))))
      (f64.store offset=48 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s6)) (f64x2.extract_lane 1 (local.get $s6))))
      (f64.store offset=56 (local.get $p0) (f64.add (f64x2.extract_lane 0 (local.get $s7)) (f64x2.extract_lane 1 (local.get $s7))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $rows)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
      (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))
        (call $dot (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ld))) (local.get $x) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; y = A x one row after another, each read front to back through a pointer that advances
  ;; ($dot): for rows up to simd-jobs.ts's STREAM_MAX_COLUMNS entries, for which one stream from
  ;; memory is read faster than matvec's eight (figures in docs/performance.md).
  (func (export "matvecStream") (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $n i32)
    (local $end i32) (local $ld i32)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $m) (i32.const 3))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
      (f64.store (local.get $y) (call $dot (local.get $a) (local.get $x) (local.get $n)))
      (local.set $a (i32.add (local.get $a) (local.get $ld)))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (br $rows))))

  ;; y += Σ_i v[i] B_i for B m x p: eight rows per sweep, so each pair y[j..j+1] is loaded and
  ;; stored once per eight rows (fewer rows per sweep load and store y more often); leftover rows
  ;; one at a time. y must be zeroed by the caller. Columns [0, p) of rows ld bytes apart.
  (func $vecmat (export "vecmat") (param $v i32) (param $b i32) (param $y i32) (param $m i32) (param $p i32) (param $ld i32)
    (local $i i32) (local $o i32) (local $end i32) (local $q i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $r5 i32) (local $r6 i32) (local $r7 i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $end (i32.shl (i32.and (local.get $p) (i32.const -2)) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $b) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ld)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ld)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ld)))
      (local.set $r4 (i32.add (local.get $r3) (local.get $ld)))
      (local.set $r5 (i32.add (local.get $r4) (local.get $ld)))
      (local.set $r6 (i32.add (local.get $r5) (local.get $ld)))
      (local.set $r7 (i32.add (local.get $r6) (local.get $ld)))
      (local.set $q (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $c0 (v128.load64_splat offset=0 (local.get $q)))
      (local.set $c1 (v128.load64_splat offset=8 (local.get $q)))
      (local.set $c2 (v128.load64_splat offset=16 (local.get $q)))
      (local.set $c3 (v128.load64_splat offset=24 (local.get $q)))
      (local.set $c4 (v128.load64_splat offset=32 (local.get $q)))
      (local.set $c5 (v128.load64_splat offset=40 (local.get $q)))
      (local.set $c6 (v128.load64_splat offset=48 (local.get $q)))
      (local.set $c7 (v128.load64_splat offset=56 (local.get $q)))
      (local.set $o (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
        ;; a balanced tree of sums, ((c0 B0 + c1 B1) + (c2 B2 + c3 B3)) + (...), then y
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f64x2.add (v128.load (i32.add (local.get $y) (local.get $o)))
            (f64x2.add
              (f64x2.add
                (f64x2.add (f64x2.mul (local.get $c0) (v128.load (i32.add (local.get $r0) (local.get $o)))) (f64x2.mul (local.get $c1) (v128.load (i32.add (local.get $r1) (local.get $o)))))
                (f64x2.add (f64x2.mul (local.get $c2) (v128.load (i32.add (local.get $r2) (local.get $o)))) (f64x2.mul (local.get $c3) (v128.load (i32.add (local.get $r3) (local.get $o))))))
              (f64x2.add
                (f64x2.add (f64x2.mul (local.get $c4) (v128.load (i32.add (local.get $r4) (local.get $o)))) (f64x2.mul (local.get $c5) (v128.load (i32.add (local.get $r5) (local.get $o)))))
                (f64x2.add (f64x2.mul (local.get $c6) (v128.load (i32.add (local.get $r6) (local.get $o)))) (f64x2.mul (local.get $c7) (v128.load (i32.add (local.get $r7) (local.get $o)))))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
      ;; an odd column: the same in lane 0 (load64_zero reads one entry)
      (if (i32.and (local.get $p) (i32.const 1)) (then
        (f64.store (i32.add (local.get $y) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $y) (local.get $o)))
            (f64x2.extract_lane 0
              (f64x2.add
                (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $c0) (v128.load64_zero (i32.add (local.get $r0) (local.get $o)))) (f64x2.mul (local.get $c1) (v128.load64_zero (i32.add (local.get $r1) (local.get $o)))))
                  (f64x2.add (f64x2.mul (local.get $c2) (v128.load64_zero (i32.add (local.get $r2) (local.get $o)))) (f64x2.mul (local.get $c3) (v128.load64_zero (i32.add (local.get $r3) (local.get $o))))))
                (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $c4) (v128.load64_zero (i32.add (local.get $r4) (local.get $o)))) (f64x2.mul (local.get $c5) (v128.load64_zero (i32.add (local.get $r5) (local.get $o)))))
                  (f64x2.add (f64x2.mul (local.get $c6) (v128.load64_zero (i32.add (local.get $r6) (local.get $o)))) (f64x2.mul (local.get $c7) (v128.load64_zero (i32.add (local.get $r7) (local.get $o))))))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $rows)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $b) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $c0 (v128.load64_splat (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $o (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f64x2.add (v128.load (i32.add (local.get $y) (local.get $o)))
            (f64x2.mul (local.get $c0) (v128.load (i32.add (local.get $r0) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
      (if (i32.and (local.get $p) (i32.const 1)) (then
        (f64.store (i32.add (local.get $y) (local.get $end))
          (f64.add (f64.load (i32.add (local.get $y) (local.get $end)))
            (f64.mul (f64x2.extract_lane 0 (local.get $c0)) (f64.load (i32.add (local.get $r0) (local.get $end))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; [y; z] = A [x; w]ᵀ for A m x n and x, w contiguous (2 x n, as a matrix): both products in one
  ;; sweep over A, four rows by the two vectors per $dot4x2 (forward mode's A x and A xDot; the
  ;; sweep is bound by reading A, so two products cost about one). z is mb bytes after y (mb = 8 m
  ;; for the whole matrix; more for a chunk of its rows).
  (func (export "matvec2") (param $a i32) (param $xw i32) (param $yz i32) (param $m i32) (param $n i32) (param $mb i32)
    (local $i i32) (local $ld i32) (local $r i32) (local $py i32) (local $pa i32)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (call $dot4x2 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ld))) (local.get $xw) (local.get $ld) (local.get $n))
      (local.set $r (i32.const 0))
      (block $dr (loop $lr
        (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
        (local.set $py (i32.add (local.get $yz) (i32.shl (i32.add (local.get $i) (local.get $r)) (i32.const 3))))
        (f64.store (local.get $py) (f64.load (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4)))))
        (f64.store (i32.add (local.get $py) (local.get $mb)) (f64.load offset=8 (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $py (i32.add (local.get $yz) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store (local.get $py) (call $dot (local.get $pa) (local.get $xw) (local.get $n)))
      (f64.store (i32.add (local.get $py) (local.get $mb)) (call $dot (local.get $pa) (i32.add (local.get $xw) (local.get $ld)) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; [y; z] += [Σ_i v[i] B_i; Σ_i w[i] B_i] for B m x p and v, w contiguous (2 x m): both in one
  ;; sweep over B, four rows at a time, leftover rows one at a time (reverse mode's rᵀ A and ṙᵀ A
  ;; under forward mode). y, z zeroed by the caller, z ld bytes after y, B's rows ld bytes apart,
  ;; and w wb bytes after v (wb = 8 m for the whole matrix; more for a chunk of its rows).
  (func (export "vecmat2") (param $vw i32) (param $b i32) (param $yz i32) (param $m i32) (param $p i32) (param $ld i32) (param $wb i32)
    (local $i i32) (local $o i32) (local $end i32) (local $z i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $z (i32.add (local.get $yz) (local.get $ld)))
    (local.set $end (i32.shl (i32.and (local.get $p) (i32.const -2)) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $b) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ld)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ld)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ld)))
      (local.set $o (i32.add (local.get $vw) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $c0 (v128.load64_splat offset=0 (local.get $o)))
      (local.set $c1 (v128.load64_splat offset=8 (local.get $o)))
      (local.set $c2 (v128.load64_splat offset=16 (local.get $o)))
      (local.set $c3 (v128.load64_splat offset=24 (local.get $o)))
      (local.set $o (i32.add (local.get $o) (local.get $wb)))
      (local.set $d0 (v128.load64_splat offset=0 (local.get $o)))
      (local.set $d1 (v128.load64_splat offset=8 (local.get $o)))
      (local.set $d2 (v128.load64_splat offset=16 (local.get $o)))
      (local.set $d3 (v128.load64_splat offset=24 (local.get $o)))
      (local.set $o (i32.const 0))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $b0 (v128.load (i32.add (local.get $r0) (local.get $o))))
        (local.set $b1 (v128.load (i32.add (local.get $r1) (local.get $o))))
        (local.set $b2 (v128.load (i32.add (local.get $r2) (local.get $o))))
        (local.set $b3 (v128.load (i32.add (local.get $r3) (local.get $o))))
        (v128.store (i32.add (local.get $yz) (local.get $o))
          (f64x2.add (v128.load (i32.add (local.get $yz) (local.get $o)))
            (f64x2.add (f64x2.add (f64x2.mul (local.get $c0) (local.get $b0)) (f64x2.mul (local.get $c1) (local.get $b1)))
                       (f64x2.add (f64x2.mul (local.get $c2) (local.get $b2)) (f64x2.mul (local.get $c3) (local.get $b3))))))
        (v128.store (i32.add (local.get $z) (local.get $o))
          (f64x2.add (v128.load (i32.add (local.get $z) (local.get $o)))
            (f64x2.add (f64x2.add (f64x2.mul (local.get $d0) (local.get $b0)) (f64x2.mul (local.get $d1) (local.get $b1)))
                       (f64x2.add (f64x2.mul (local.get $d2) (local.get $b2)) (f64x2.mul (local.get $d3) (local.get $b3))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
      ;; an odd column: the same in lane 0 (load64_zero reads one entry)
      (if (i32.and (local.get $p) (i32.const 1)) (then
        (local.set $b0 (v128.load64_zero (i32.add (local.get $r0) (local.get $o))))
        (local.set $b1 (v128.load64_zero (i32.add (local.get $r1) (local.get $o))))
        (local.set $b2 (v128.load64_zero (i32.add (local.get $r2) (local.get $o))))
        (local.set $b3 (v128.load64_zero (i32.add (local.get $r3) (local.get $o))))
        (f64.store (i32.add (local.get $yz) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $yz) (local.get $o)))
            (f64x2.extract_lane 0
              (f64x2.add (f64x2.add (f64x2.mul (local.get $c0) (local.get $b0)) (f64x2.mul (local.get $c1) (local.get $b1)))
                         (f64x2.add (f64x2.mul (local.get $c2) (local.get $b2)) (f64x2.mul (local.get $c3) (local.get $b3)))))))
        (f64.store (i32.add (local.get $z) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $z) (local.get $o)))
            (f64x2.extract_lane 0
              (f64x2.add (f64x2.add (f64x2.mul (local.get $d0) (local.get $b0)) (f64x2.mul (local.get $d1) (local.get $b1)))
                         (f64x2.add (f64x2.mul (local.get $d2) (local.get $b2)) (f64x2.mul (local.get $d3) (local.get $b3)))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $b) (i32.mul (local.get $i) (local.get $ld))))
      (local.set $o (i32.add (local.get $vw) (i32.shl (local.get $i) (i32.const 3))))
      (call $vecmat (local.get $o) (local.get $r0) (local.get $yz) (i32.const 1) (local.get $p) (local.get $ld))
      (call $vecmat (i32.add (local.get $o) (local.get $wb)) (local.get $r0) (local.get $z) (i32.const 1) (local.get $p) (local.get $ld))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; C += A B for A m x n, B n x p: row i of C is Σ_k A[i][k] B_k, accumulated with $vecmat's
  ;; sweep (rows of B streamed, four at a time). C must be zeroed by the caller.
  (func (export "matmat") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $p i32)
    (local $i i32) (local $lda i32) (local $ldc i32)
    (local.set $lda (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ldc (i32.shl (local.get $p) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
      (call $vecmat
        (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
        (local.get $b)
        (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
        (local.get $n) (local.get $p) (local.get $ldc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; Row i of L (L L^T = A), columns jStart..i, one dot product each; 0 when the pivot is not
  ;; positive (a NaN pivot is not rejected: NaN propagates, as in the plain kernel).
  (func $cholRow (param $a i32) (param $l i32) (param $ld i32) (param $i i32) (param $jStart i32) (result i32)
    (local $j i32) (local $ri i32) (local $rj i32) (local $s f64)
    (local.set $ri (i32.mul (local.get $i) (local.get $ld)))
    (local.set $j (local.get $jStart))
    (block $done (loop $cols
      (br_if $done (i32.gt_s (local.get $j) (local.get $i)))
      (local.set $rj (i32.mul (local.get $j) (local.get $ld)))
      (local.set $s (f64.sub
        (f64.load (i32.add (local.get $a) (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3)))))
        (call $dot (i32.add (local.get $l) (local.get $ri)) (i32.add (local.get $l) (local.get $rj)) (local.get $j))))
      (if (i32.eq (local.get $j) (local.get $i))
        (then
          (if (f64.le (local.get $s) (f64.const 0)) (then (return (i32.const 0))))
          (f64.store (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3)))) (f64.sqrt (local.get $s))))
        (else
          (f64.store (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))
            (f64.div (local.get $s) (f64.load (i32.add (local.get $l) (i32.add (local.get $rj) (i32.shl (local.get $j) (i32.const 3)))))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $cols)))
    (i32.const 1))

  ;; Cholesky–Crout, L[i][j] = (A[i][j] - <L_i, L_j>_{k<j}) / L[j][j], four rows i at a time and
  ;; two columns j per $dot4x2 (column j+1 then adds the term k = j of the same rows). Reads A's
  ;; lower triangle; L (n x n) must be zeroed. Returns 0 if A is not positive definite.
  (func (export "cholesky") (param $a i32) (param $l i32) (param $n i32) (result i32)
    (local $i0 i32) (local $j i32) (local $r i32) (local $i i32) (local $ld i32)
    (local $pi i32) (local $pj i32) (local $x f64)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $blocks
      (br_if $done (i32.gt_s (i32.add (local.get $i0) (i32.const 4)) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $dj (loop $lj
        (br_if $dj (i32.ge_s (local.get $j) (local.get $i0)))
        (call $dot4x2
          (i32.add (local.get $l) (i32.mul (local.get $i0) (local.get $ld)))
          (i32.add (local.get $l) (i32.mul (local.get $j) (local.get $ld)))
          (local.get $ld) (local.get $j))
        (local.set $pj (i32.add (local.get $l) (i32.add (i32.mul (local.get $j) (local.get $ld)) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $r (i32.const 0))
        (block $dr (loop $lr
          (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
          (local.set $i (i32.add (local.get $i0) (local.get $r)))
          ;; pi: byte offset of [i][j] (same in A and L)
          (local.set $pi (i32.add (i32.mul (local.get $i) (local.get $ld)) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $x (f64.div
            (f64.sub (f64.load (i32.add (local.get $a) (local.get $pi))) (f64.load (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4)))))
            (f64.load (local.get $pj))))
          (f64.store (i32.add (local.get $l) (local.get $pi)) (local.get $x))
          ;; L[i][j+1] = (A[i][j+1] - D[r][1] - L[i][j] L[j+1][j]) / L[j+1][j+1]
          (f64.store offset=8 (i32.add (local.get $l) (local.get $pi))
            (f64.div
              (f64.sub
                (f64.sub (f64.load offset=8 (i32.add (local.get $a) (local.get $pi))) (f64.load offset=8 (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4)))))
                (f64.mul (local.get $x) (f64.load (i32.add (local.get $pj) (local.get $ld)))))
              (f64.load offset=8 (i32.add (local.get $pj) (local.get $ld)))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $lr)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $lj)))
      ;; the 4x4 diagonal block, entry by entry
      (local.set $r (i32.const 0))
      (block $dr (loop $lr
        (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
        (if (i32.eqz (call $cholRow (local.get $a) (local.get $l) (local.get $ld) (i32.add (local.get $i0) (local.get $r)) (local.get $i0)))
          (then (return (i32.const 0))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
      (br $blocks)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i0) (local.get $n)))
      (if (i32.eqz (call $cholRow (local.get $a) (local.get $l) (local.get $ld) (local.get $i0) (i32.const 0)))
        (then (return (i32.const 0))))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 1)))
      (br $rows)))
    (i32.const 1))

  ;; Row j of U = L^{-T} from column i0 on: U[j][i] = -<L_i, U_j>_{j<=k<i} / L[i][i], and
  ;; U[j][j] = 1 / L[j][j] when i0 = j.
  (func $invRow (param $l i32) (param $u i32) (param $ld i32) (param $n i32) (param $j i32) (param $i0 i32)
    (local $i i32) (local $rj i32) (local $ri i32) (local $j8 i32)
    (local.set $rj (i32.mul (local.get $j) (local.get $ld)))
    (local.set $j8 (i32.shl (local.get $j) (i32.const 3)))
    (local.set $i (local.get $i0))
    (if (i32.eq (local.get $i) (local.get $j)) (then
      (f64.store (i32.add (local.get $u) (i32.add (local.get $rj) (local.get $j8)))
        (f64.div (f64.const 1) (f64.load (i32.add (local.get $l) (i32.add (local.get $rj) (local.get $j8))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (block $done (loop $cols
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $ri (i32.mul (local.get $i) (local.get $ld)))
      (f64.store (i32.add (local.get $u) (i32.add (local.get $rj) (i32.shl (local.get $i) (i32.const 3))))
        (f64.div
          (f64.neg (call $dot
            (i32.add (local.get $l) (i32.add (local.get $ri) (local.get $j8)))
            (i32.add (local.get $u) (i32.add (local.get $rj) (local.get $j8)))
            (i32.sub (local.get $i) (local.get $j))))
          (f64.load (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $cols))))

  ;; A^{-1} = U U^T from the Cholesky factor L, with U = L^{-T} (upper triangular) built in $u
  ;; four rows j0..j0+3 at a time: the dot products over k in [j0, i) run from j0 for all four
  ;; rows (U[j][k] = 0 below its diagonal), two columns i, i+1 per $dot4x2. Then X[a][b] =
  ;; <U_a, U_b>_{k>=a} for b <= a, mirrored, four rows a by two rows b per $dot4x2.
  ;; $u and $x (n x n) must be zeroed.
  (func (export "choleskyInverse") (param $l i32) (param $u i32) (param $x i32) (param $n i32)
    (local $j0 i32) (local $i i32) (local $r i32) (local $ld i32) (local $j i32)
    (local $pu i32) (local $pl i32) (local $y f64) (local $a0 i32) (local $b i32) (local $a i32) (local $c i32) (local $v f64)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $blocks
      (br_if $done (i32.gt_s (i32.add (local.get $j0) (i32.const 4)) (local.get $n)))
      ;; the 4x4 head: columns j0..j0+3 of rows j0..j0+3, entry by entry
      (local.set $r (i32.const 0))
      (block $dr (loop $lr
        (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
        (local.set $j (i32.add (local.get $j0) (local.get $r)))
        (call $invRow (local.get $l) (local.get $u) (local.get $ld) (i32.add (local.get $j0) (i32.const 4)) (local.get $j) (local.get $j))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
      (local.set $i (i32.add (local.get $j0) (i32.const 4)))
      (block $di (loop $li
        (br_if $di (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (call $dot4x2
          (i32.add (local.get $u) (i32.add (i32.mul (local.get $j0) (local.get $ld)) (i32.shl (local.get $j0) (i32.const 3))))
          (i32.add (local.get $l) (i32.add (i32.mul (local.get $i) (local.get $ld)) (i32.shl (local.get $j0) (i32.const 3))))
          (local.get $ld) (i32.sub (local.get $i) (local.get $j0)))
        ;; pl: L[i][i]; L[i+1][i] and L[i+1][i+1] follow one row on
        (local.set $pl (i32.add (local.get $l) (i32.add (i32.mul (local.get $i) (local.get $ld)) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $r (i32.const 0))
        (block $dr (loop $lr
          (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
          (local.set $pu (i32.add (local.get $u) (i32.add (i32.mul (i32.add (local.get $j0) (local.get $r)) (local.get $ld)) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $y (f64.div (f64.neg (f64.load (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4))))) (f64.load (local.get $pl))))
          (f64.store (local.get $pu) (local.get $y))
          ;; U[j][i+1] = -(D[r][1] + L[i+1][i] U[j][i]) / L[i+1][i+1]
          (f64.store offset=8 (local.get $pu)
            (f64.div
              (f64.neg (f64.add (f64.load offset=8 (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4))))
                                (f64.mul (f64.load (i32.add (local.get $pl) (local.get $ld))) (local.get $y))))
              (f64.load offset=8 (i32.add (local.get $pl) (local.get $ld)))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $lr)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $li)))
      ;; an odd column left over
      (if (i32.lt_s (local.get $i) (local.get $n)) (then
        (local.set $r (i32.const 0))
        (block $dr (loop $lr
          (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
          (call $invRow (local.get $l) (local.get $u) (local.get $ld) (local.get $n) (i32.add (local.get $j0) (local.get $r)) (local.get $i))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $lr)))))
      (local.set $j0 (i32.add (local.get $j0) (i32.const 4)))
      (br $blocks)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $j0) (local.get $n)))
      (call $invRow (local.get $l) (local.get $u) (local.get $ld) (local.get $n) (local.get $j0) (local.get $j0))
      (local.set $j0 (i32.add (local.get $j0) (i32.const 1)))
      (br $rows)))
    ;; X = U U^T
    (block $done (loop $blocks
      (br_if $done (i32.gt_s (i32.add (local.get $a0) (i32.const 4)) (local.get $n)))
      (local.set $b (i32.const 0))
      (block $db (loop $lb
        (br_if $db (i32.ge_s (local.get $b) (local.get $a0)))
        (call $dot4x2
          (i32.add (local.get $u) (i32.add (i32.mul (local.get $a0) (local.get $ld)) (i32.shl (local.get $a0) (i32.const 3))))
          (i32.add (local.get $u) (i32.add (i32.mul (local.get $b) (local.get $ld)) (i32.shl (local.get $a0) (i32.const 3))))
          (local.get $ld) (i32.sub (local.get $n) (local.get $a0)))
        (local.set $r (i32.const 0))
        (block $dr (loop $lr
          (br_if $dr (i32.ge_s (local.get $r) (i32.const 4)))
          (local.set $a (i32.add (local.get $a0) (local.get $r)))
          (local.set $c (i32.const 0))
          (block $dc (loop $lc
            (br_if $dc (i32.ge_s (local.get $c) (i32.const 2)))
            (local.set $v (f64.load (i32.add (i32.add (global.get $scratch) (i32.shl (local.get $r) (i32.const 4))) (i32.shl (local.get $c) (i32.const 3)))))
            (call $store2 (local.get $x) (local.get $ld) (local.get $a) (i32.add (local.get $b) (local.get $c)) (local.get $v))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $lc)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $lr)))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br $lb)))
      ;; the 4x4 diagonal block, entry by entry
      (local.set $a (local.get $a0))
      (block $da (loop $la
        (br_if $da (i32.ge_s (local.get $a) (i32.add (local.get $a0) (i32.const 4))))
        (call $gramRow (local.get $u) (local.get $x) (local.get $ld) (local.get $n) (local.get $a) (local.get $a0))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $la)))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
      (br $blocks)))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $a0) (local.get $n)))
      (call $gramRow (local.get $u) (local.get $x) (local.get $ld) (local.get $n) (local.get $a0) (i32.const 0))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 1)))
      (br $rows))))

  ;; X[a][b] = X[b][a] = v.
  (func $store2 (param $x i32) (param $ld i32) (param $a i32) (param $b i32) (param $v f64)
    (f64.store (i32.add (local.get $x) (i32.add (i32.mul (local.get $a) (local.get $ld)) (i32.shl (local.get $b) (i32.const 3)))) (local.get $v))
    (f64.store (i32.add (local.get $x) (i32.add (i32.mul (local.get $b) (local.get $ld)) (i32.shl (local.get $a) (i32.const 3)))) (local.get $v)))

  ;; X[a][b] = <U_a, U_b>_{k>=a} for bStart <= b <= a, mirrored.
  (func $gramRow (param $u i32) (param $x i32) (param $ld i32) (param $n i32) (param $a i32) (param $bStart i32)
    (local $b i32) (local $a8 i32)
    (local.set $a8 (i32.shl (local.get $a) (i32.const 3)))
    (local.set $b (local.get $bStart))
    (block $done (loop $cols
      (br_if $done (i32.gt_s (local.get $b) (local.get $a)))
      (call $store2 (local.get $x) (local.get $ld) (local.get $a) (local.get $b)
        (call $dot
          (i32.add (local.get $u) (i32.add (i32.mul (local.get $a) (local.get $ld)) (local.get $a8)))
          (i32.add (local.get $u) (i32.add (i32.mul (local.get $b) (local.get $ld)) (local.get $a8)))
          (i32.sub (local.get $n) (local.get $a))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $cols))))
)
