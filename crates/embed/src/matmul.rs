//! `C += A·Wᵀ` for the encoder's dense layers, with the weight matrix `W` packed once at load.
//!
//! The layout is that of BLIS-style kernels: `W` is cut into panels of [`NR`] output columns
//! and [`KC`] inputs, each stored contiguously in the order the kernel reads it. The inner
//! kernel keeps an `MR × NR` tile of `C` in registers (12 AVX2 registers), so every loaded
//! weight is used `MR` times and every input broadcast from `A` is used `NR` times. `A` is read
//! in place, `MR` rows side by side: with inputs of a few hundred columns the rows stream
//! through the prefetchers as well as a packed copy would, and the copy is saved. On the
//! development machine (AVX2, about 95 GFLOP/s of FMA peak per core) the products of MiniLM's
//! shapes run at 65 to 85 GFLOP/s per core, where the general-purpose `gemm` crate that candle
//! uses reached about 50.
//!
//! Every row of `C` is computed in the same order whatever the other rows are, so a sentence's
//! embedding does not depend on the batch it was computed in.

/// Rows of `A` per register tile.
pub const MR: usize = 6;
/// Columns of `W` per register tile (two AVX registers of eight floats).
pub const NR: usize = 16;
/// Inputs per panel: a `KC × NR` weight panel (24 KiB) stays in the L1 cache while the kernel
/// walks down the rows of `A`, and inputs of 384 (MiniLM's width) need a single pass over `C`.
const KC: usize = 384;
/// Rows of `A` walked per pass over the weight panels: `MC × KC` floats (288 KiB) stay in the
/// L2 cache.
const MC: usize = 192;

/// Appends the `k × n` matrix `B` whose column `j` is `column(j)` (at least `k` floats) to
/// `out` in kernel order: ⌈n / NR⌉ panels of `k × NR` floats, zero beyond column `n`.
pub fn pack_columns<'a>(
    k: usize,
    n: usize,
    out: &mut Vec<f32>,
    column: impl Fn(usize) -> &'a [f32],
) {
    let start = out.len();
    out.resize(start + n.div_ceil(NR) * k * NR, 0.0);
    for j in 0..n {
        let panel = &mut out[start + j / NR * k * NR..][..k * NR];
        for (slot, &x) in panel[j % NR..].iter_mut().step_by(NR).zip(&column(j)[..k]) {
            *slot = x;
        }
    }
}

/// Appends the `k × n` matrix `B` whose row `i` is `row(i)` (at least `n` floats) to `out` in
/// kernel order, as [`pack_columns`] does.
pub fn pack_rows<'a>(k: usize, n: usize, out: &mut Vec<f32>, row: impl Fn(usize) -> &'a [f32]) {
    for p in 0..n.div_ceil(NR) {
        let cols = NR.min(n - p * NR);
        for i in 0..k {
            out.extend_from_slice(&row(i)[p * NR..][..cols]);
            out.resize(out.len() + NR - cols, 0.0);
        }
    }
}

/// Rows of a row-major matrix, `stride` floats apart: a block of columns of a wider matrix
/// needs no copy.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    pub data: &'a [f32],
    pub rows: usize,
    pub stride: usize,
}

/// `c += a · B` over the first `k` columns of `a`, where `B` (`k × n`) is in the order
/// [`pack_columns`] and [`pack_rows`] write and `c` has `a.rows` rows of `n` columns, `ldc` apart.
pub fn matmul_panels_acc(a: Rows, k: usize, panels: &[f32], n: usize, c: &mut [f32], ldc: usize) {
    assert!(panels.len() >= n.div_ceil(NR) * k * NR, "panel size");
    let kernel = kernel();
    for p in 0..n.div_ceil(NR) {
        let panel = &panels[p * k * NR..][..k * NR];
        let cols = NR.min(n - p * NR);
        for r0 in (0..a.rows).step_by(MR) {
            // The kernel's `MR` (or fewer) rows.
            let lhs = Rows {
                data: &a.data[r0 * a.stride..],
                rows: MR.min(a.rows - r0),
                stride: a.stride,
            };
            kernel(k, lhs, panel, &mut c[r0 * ldc + p * NR..], ldc, cols);
        }
    }
}

/// A weight matrix in kernel order, in blocks of [`KC`] inputs.
pub struct PackedWeight {
    inputs: usize,
    outputs: usize,
    data: Vec<f32>,
}

impl PackedWeight {
    /// Packs a PyTorch `Linear` weight: row-major `outputs × inputs`.
    pub fn from_linear(weight: &[f32], outputs: usize, inputs: usize) -> Self {
        assert_eq!(weight.len(), outputs * inputs, "weight shape");
        let mut data = Vec::with_capacity(outputs.div_ceil(NR) * NR * inputs);
        for k0 in (0..inputs).step_by(KC) {
            let kc = KC.min(inputs - k0);
            pack_columns(kc, outputs, &mut data, |j| &weight[j * inputs + k0..]);
        }
        Self {
            inputs,
            outputs,
            data,
        }
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `c[m × outputs] += a[m × inputs] · Wᵀ`, all row-major.
    pub fn matmul_acc(&self, a: &[f32], m: usize, c: &mut [f32]) {
        let (k, n) = (self.inputs, self.outputs);
        assert!(a.len() >= m * k && c.len() >= m * n, "matmul operand sizes");
        let panels = n.div_ceil(NR);
        for k0 in (0..k).step_by(KC) {
            let kc = KC.min(k - k0);
            let block = &self.data[k0 * panels * NR..][..panels * kc * NR];
            for m0 in (0..m).step_by(MC) {
                let rows = Rows {
                    data: &a[m0 * k + k0..],
                    rows: MC.min(m - m0),
                    stride: k,
                };
                matmul_panels_acc(rows, kc, block, n, &mut c[m0 * n..], n);
            }
        }
    }
}

impl Rows<'_> {
    /// Where each of the `MR` rows starts; missing rows repeat the last one, so the kernel
    /// reads only valid memory and its results for them are dropped.
    fn row_starts(&self) -> [usize; MR] {
        std::array::from_fn(|r| r.min(self.rows - 1) * self.stride)
    }
}

/// `c[rows × cols] (row stride ldc) += A rows (at most `MR`) · weight panel` over `kc` inputs.
type Kernel = fn(usize, Rows, &[f32], &mut [f32], usize, usize);

fn kernel() -> Kernel {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        return avx2::kernel;
    }
    portable_kernel
}

fn portable_kernel(kc: usize, lhs: Rows, rhs: &[f32], c: &mut [f32], ldc: usize, cols: usize) {
    let starts = lhs.row_starts();
    let mut acc = [[0.0f32; NR]; MR];
    for (k, b) in rhs.chunks_exact(NR).take(kc).enumerate() {
        for (acc_row, &start) in acc.iter_mut().zip(&starts) {
            let av = lhs.data[start + k];
            for (x, &bv) in acc_row.iter_mut().zip(b) {
                *x += av * bv;
            }
        }
    }
    add_tile(&acc, c, ldc, lhs.rows, cols);
}

fn add_tile(acc: &[[f32; NR]; MR], c: &mut [f32], ldc: usize, rows: usize, cols: usize) {
    for (r, acc_row) in acc.iter().enumerate().take(rows) {
        for (x, &v) in c[r * ldc..][..cols].iter_mut().zip(acc_row) {
            *x += v;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{add_tile, Rows, MR, NR};

    pub(super) fn kernel(
        kc: usize,
        lhs: Rows,
        rhs: &[f32],
        c: &mut [f32],
        ldc: usize,
        cols: usize,
    ) {
        let (rows, starts) = (lhs.rows, lhs.row_starts());
        assert!(rhs.len() >= kc * NR && lhs.data.len() >= starts[MR - 1] + kc);
        assert!((1..=MR).contains(&rows) && cols <= NR && c.len() >= (rows - 1) * ldc + cols);
        let a = starts.map(|s| lhs.data[s..].as_ptr());
        // SAFETY: `kernel()` hands this function out only after detecting AVX2 and FMA, and
        // the assertions above bound every pointer offset taken inside.
        unsafe { tile(kc, a, rhs.as_ptr(), c, ldc, rows, cols) }
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn tile(
        kc: usize,
        a: [*const f32; MR],
        b: *const f32,
        c: &mut [f32],
        ldc: usize,
        rows: usize,
        cols: usize,
    ) {
        // The tile of `C` is read only after the loop; asking for it now hides the cache
        // misses behind the loop's arithmetic. The tile below it, which the caller computes
        // next, is asked for into L2 as well: a further 3% on MiniLM's shapes.
        for r in 0..rows {
            let p = c.as_ptr().add(r * ldc) as *const i8;
            _mm_prefetch::<_MM_HINT_T0>(p);
            _mm_prefetch::<_MM_HINT_T0>(p.add(cols * 4 - 4));
        }
        for r in MR..2 * MR {
            if r * ldc + cols <= c.len() {
                let p = c.as_ptr().add(r * ldc) as *const i8;
                _mm_prefetch::<_MM_HINT_T1>(p);
                _mm_prefetch::<_MM_HINT_T1>(p.add(cols * 4 - 4));
            }
        }
        // `MR` is a constant, so each step unrolls fully and the twelve accumulators stay in
        // registers.
        let mut acc = [[_mm256_setzero_ps(); 2]; MR];
        let step = |acc: &mut [[__m256; 2]; MR], k: usize| {
            let b0 = _mm256_loadu_ps(b.add(k * NR));
            let b1 = _mm256_loadu_ps(b.add(k * NR + 8));
            for (acc_row, row) in acc.iter_mut().zip(a) {
                let av = _mm256_broadcast_ss(&*row.add(k));
                acc_row[0] = _mm256_fmadd_ps(av, b0, acc_row[0]);
                acc_row[1] = _mm256_fmadd_ps(av, b1, acc_row[1]);
            }
        };
        // Four steps per iteration: the loop's own instructions then cost measurably less
        // (about 4% on MiniLM's shapes).
        let mut k = 0;
        while k + 4 <= kc {
            step(&mut acc, k);
            step(&mut acc, k + 1);
            step(&mut acc, k + 2);
            step(&mut acc, k + 3);
            k += 4;
        }
        while k < kc {
            step(&mut acc, k);
            k += 1;
        }
        if rows == MR && cols == NR {
            for (r, acc_row) in acc.iter().enumerate() {
                let p = c.as_mut_ptr().add(r * ldc);
                _mm256_storeu_ps(p, _mm256_add_ps(_mm256_loadu_ps(p), acc_row[0]));
                let p = p.add(8);
                _mm256_storeu_ps(p, _mm256_add_ps(_mm256_loadu_ps(p), acc_row[1]));
            }
        } else {
            let mut spill = [[0.0f32; NR]; MR];
            for (out, acc_row) in spill.iter_mut().zip(&acc) {
                _mm256_storeu_ps(out.as_mut_ptr(), acc_row[0]);
                _mm256_storeu_ps(out.as_mut_ptr().add(8), acc_row[1]);
            }
            add_tile(&spill, c, ldc, rows, cols);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Deterministic values in [-1, 1) without a random-number dependency.
    pub(crate) fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut x = seed.wrapping_mul(2_654_435_761).max(1);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x as f32 / u32::MAX as f32) * 2.0 - 1.0
            })
            .collect()
    }

    fn naive(a: &[f32], w: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
        let mut c = vec![0.0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k)
                    .map(|t| f64::from(a[i * k + t]) * f64::from(w[j * k + t]))
                    .sum::<f64>() as f32;
            }
        }
        c
    }

    #[test]
    fn matches_a_naive_product_on_ragged_shapes() {
        // Shapes straddle every block edge: rows not a multiple of MR or MC, outputs not a
        // multiple of NR, inputs not a multiple of KC.
        for &(m, n, k) in &[(1, 1, 1), (7, 17, 3), (200, 40, 300), (13, 384, 520)] {
            let a = values(m * k, 1);
            let w = values(n * k, 2);
            let packed = PackedWeight::from_linear(&w, n, k);
            let mut c = vec![0.5f32; m * n];
            packed.matmul_acc(&a, m, &mut c);
            let want = naive(&a, &w, m, n, k);
            for (got, want) in c.iter().zip(&want) {
                assert!(
                    (got - 0.5 - want).abs() < 1e-4,
                    "{m}x{n}x{k}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn portable_and_detected_kernels_agree() {
        let (kc, lda, ldc) = (37, 40, NR + 3);
        let a = values(MR * lda, 3);
        let rhs = values(kc * NR, 4);
        for (rows, cols) in [(MR, NR), (4, 11)] {
            let lhs = Rows {
                data: &a,
                rows,
                stride: lda,
            };
            let mut a = vec![0.0f32; MR * ldc];
            let mut b = a.clone();
            portable_kernel(kc, lhs, &rhs, &mut a, ldc, cols);
            kernel()(kc, lhs, &rhs, &mut b, ldc, cols);
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() < 1e-5, "{x} vs {y}");
            }
            assert!(a.iter().any(|&v| v != 0.0));
        }
    }
}
