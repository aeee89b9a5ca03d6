;; The 2x2 / stride 2 max-pool gradient (windows never overlap) on the wasm heap, in wasm SIMD
;; (scripts/build-simd.mjs compiles this to pool-grad.wasm.ts; do not edit that file by hand).
;; x, dx [N, H, W, C] and dy [N, Ho, Wo, C] (NHWC, C % 4 == 0, byte offsets into tfjs-wasm's memory):
;; each window's gradient goes to its first maximum in row-major order, every other covered cell gets 0
;; (cells no window covers, odd H or W, are left as they are). The tie rule is the cpu kernel's: strict
;; '>' from -Infinity, so a window of only -Infinity / NaN gets no gradient.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "maxPoolGrad2x2") (param $x i32) (param $dy i32) (param $dx i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $Ho i32) (param $Wo i32)
    (local $cB i32) (local $rowB i32) (local $n i32) (local $yr i32) (local $yc i32) (local $ch i32)
    (local $o i32) (local $px i32) (local $pd i32) (local $pg i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $v v128) (local $best v128)
    (local $wa v128) (local $wb v128) (local $wc v128) (local $wd v128) (local $t v128)
    (local.set $cB (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowB (i32.mul (local.get $W) (local.get $cB)))
    (local.set $pg (local.get $dy))
    (local.set $n (i32.const 0))
    (block $ndone (loop $nloop
      (br_if $ndone (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $yr (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $yr) (local.get $Ho)))
        ;; Byte offset of the window row's first cell in x and dx.
        (local.set $o (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (i32.shl (local.get $yr) (i32.const 1))) (local.get $rowB)))
        (local.set $yc (i32.const 0))
        (block $cdone (loop $cloop
          (br_if $cdone (i32.ge_u (local.get $yc) (local.get $Wo)))
          (local.set $ch (i32.const 0))
          (loop $chloop
            (local.set $px (i32.add (i32.add (local.get $x) (local.get $o)) (local.get $ch)))
            (local.set $pd (i32.add (i32.add (local.get $dx) (local.get $o)) (local.get $ch)))
            (local.set $a (v128.load (local.get $px)))
            (local.set $b (v128.load (i32.add (local.get $px) (local.get $cB))))
            (local.set $c (v128.load (i32.add (local.get $px) (local.get $rowB))))
            (local.set $d (v128.load (i32.add (i32.add (local.get $px) (local.get $rowB)) (local.get $cB))))
            (local.set $v (v128.load (i32.add (local.get $pg) (local.get $ch))))
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $wa (f32x4.gt (local.get $a) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $a) (local.get $best) (local.get $wa)))
            (local.set $wb (f32x4.gt (local.get $b) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $b) (local.get $best) (local.get $wb)))
            (local.set $wc (f32x4.gt (local.get $c) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $c) (local.get $best) (local.get $wc)))
            (local.set $wd (f32x4.gt (local.get $d) (local.get $best)))
            ;; The last window cell that beat the running maximum owns the gradient.
            (v128.store (i32.add (i32.add (local.get $pd) (local.get $rowB)) (local.get $cB)) (v128.and (local.get $v) (local.get $wd)))
            (local.set $t (local.get $wd))
            (v128.store (i32.add (local.get $pd) (local.get $rowB)) (v128.and (local.get $v) (v128.andnot (local.get $wc) (local.get $t))))
            (local.set $t (v128.or (local.get $t) (local.get $wc)))
            (v128.store (i32.add (local.get $pd) (local.get $cB)) (v128.and (local.get $v) (v128.andnot (local.get $wb) (local.get $t))))
            (local.set $t (v128.or (local.get $t) (local.get $wb)))
            (v128.store (local.get $pd) (v128.and (local.get $v) (v128.andnot (local.get $wa) (local.get $t))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
            (br_if $chloop (i32.lt_u (local.get $ch) (local.get $cB))))
          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $cB) (i32.const 1))))
          (local.set $pg (i32.add (local.get $pg) (local.get $cB)))
          (local.set $yc (i32.add (local.get $yc) (i32.const 1)))
          (br $cloop)))
        (local.set $yr (i32.add (local.get $yr) (i32.const 1)))
        (br $rloop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nloop)))))
