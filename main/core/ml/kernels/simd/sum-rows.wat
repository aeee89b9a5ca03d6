;; A bias gradient's sum over rows on the wasm heap, in wasm SIMD (scripts/build-simd.mjs compiles this to
;; sum-rows.wasm.ts; do not edit that file by hand): acc[c] += sum over r < rows of x[r * C + c] for a
;; float32 x [rows, C] (C % 4 == 0) into a float64 acc [C] (8-byte aligned), byte offsets into
;; tfjs-wasm's memory. Blocks of 64 rows are summed in float32 vectors (16 channels, or 4 at the end of a
;; row, at a time; the block stays in cache across the channel groups), each block's sums added in float64.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func $flush (param $pacc i32) (param $s v128)
    (v128.store offset=0 (local.get $pacc)
      (f64x2.add (v128.load offset=0 (local.get $pacc)) (f64x2.promote_low_f32x4 (local.get $s))))
    (v128.store offset=16 (local.get $pacc)
      (f64x2.add (v128.load offset=16 (local.get $pacc))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s))))))
  (func (export "sumRows") (param $x i32) (param $rows i32) (param $C i32) (param $acc i32)
    (local $rowB i32) (local $r0 i32) (local $r1 i32) (local $cb i32) (local $p i32) (local $end i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $rowB (i32.shl (local.get $C) (i32.const 2)))
    (local.set $r0 (i32.const 0))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (i32.add (local.get $r0) (i32.const 64)))
      (if (i32.gt_u (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
      ;; Channel byte offset cb: rows r0..r1 of channels cb/4.. are at x + r*rowB + cb.
      (local.set $cb (i32.const 0))
      ;; Groups of 16 channels.
      (block $g16done (loop $g16
        (br_if $g16done (i32.gt_u (i32.add (local.get $cb) (i32.const 64)) (local.get $rowB)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (i32.add (local.get $x) (i32.mul (local.get $r0) (local.get $rowB))) (local.get $cb)))
        (local.set $end (i32.add (i32.add (local.get $x) (i32.mul (local.get $r1) (local.get $rowB))) (local.get $cb)))
        (loop $rows16
          (local.set $s0 (f32x4.add (local.get $s0) (v128.load offset=0 (local.get $p))))
          (local.set $s1 (f32x4.add (local.get $s1) (v128.load offset=16 (local.get $p))))
          (local.set $s2 (f32x4.add (local.get $s2) (v128.load offset=32 (local.get $p))))
          (local.set $s3 (f32x4.add (local.get $s3) (v128.load offset=48 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rowB)))
          (br_if $rows16 (i32.lt_u (local.get $p) (local.get $end))))
        (call $flush (i32.add (local.get $acc) (i32.shl (local.get $cb) (i32.const 1))) (local.get $s0))
        (call $flush (i32.add (local.get $acc) (i32.add (i32.shl (local.get $cb) (i32.const 1)) (i32.const 32))) (local.get $s1))
        (call $flush (i32.add (local.get $acc) (i32.add (i32.shl (local.get $cb) (i32.const 1)) (i32.const 64))) (local.get $s2))
        (call $flush (i32.add (local.get $acc) (i32.add (i32.shl (local.get $cb) (i32.const 1)) (i32.const 96))) (local.get $s3))
        (local.set $cb (i32.add (local.get $cb) (i32.const 64)))
        (br $g16)))
      ;; The remaining channels, 4 at a time.
      (block $g4done (loop $g4
        (br_if $g4done (i32.ge_u (local.get $cb) (local.get $rowB)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (i32.add (local.get $x) (i32.mul (local.get $r0) (local.get $rowB))) (local.get $cb)))
        (local.set $end (i32.add (i32.add (local.get $x) (i32.mul (local.get $r1) (local.get $rowB))) (local.get $cb)))
        (loop $rows4
          (local.set $s0 (f32x4.add (local.get $s0) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rowB)))
          (br_if $rows4 (i32.lt_u (local.get $p) (local.get $end))))
        (call $flush (i32.add (local.get $acc) (i32.shl (local.get $cb) (i32.const 1))) (local.get $s0))
        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
        (br $g4)))
      (local.set $r0 (local.get $r1))
      (br $blocks)))))
