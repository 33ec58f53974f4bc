//! Element-wise parts of the encoder, written so that the compiler vectorises them: no
//! branches in the loops and reductions spread over eight independent lanes (a float sum is
//! not reassociated otherwise).
//!
//! `exp` and `erf` are polynomial and rational approximations (relative error of `exp` below
//! 3e-7, absolute error of `erf` below 5e-7): well within the 1e-5 the embeddings are checked
//! to, and several times faster than libm, whose exact `erf` alone took 11% of the time of
//! candle's forward pass.

/// Floats per AVX register: loops over this many independent accumulators vectorise.
pub const LANES: usize = 8;

#[inline(always)]
pub fn sum(xs: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let rest: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += x;
        }
    }
    acc.iter().sum::<f32>() + rest
}

#[inline(always)]
fn sum_sq_dev(xs: &[f32], mean: f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let rest: f32 = chunks
        .remainder()
        .iter()
        .map(|x| (x - mean) * (x - mean))
        .sum();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += (x - mean) * (x - mean);
        }
    }
    acc.iter().sum::<f32>() + rest
}

/// Layer normalisation of one row in place, as PyTorch computes it (biased variance).
#[inline(always)]
pub fn layer_norm(row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let n = row.len() as f32;
    let mean = sum(row) / n;
    let inv = 1.0 / (sum_sq_dev(row, mean) / n + eps).sqrt();
    for ((x, &g), &b) in row.iter_mut().zip(gamma).zip(beta) {
        *x = (*x - mean) * inv * g + b;
    }
}

/// `e^x`, from the split `x = n·ln 2 + r`, |r| ≤ ln 2 / 2, and Cephes' minimax polynomial for
/// `e^r`. Inputs below -87.3 give about 1e-38 (the softmax and `erf` only need that end to be
/// tiny), inputs above 88 give e^88.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.3, 88.0);
    let n = (x * std::f32::consts::LOG2_E + 0.5).floor();
    // ln 2 in two parts, the first (355/512 as an f32) with few enough bits that n times it is
    // exact (Cody-Waite).
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    (p * r * r + r + 1.0) * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// The error function, as the rational minimax approximation that Eigen and XLA use for
/// floats: `x·P(x²)/Q(x²)` on [-4, 4], beyond which erf is ±1 to float precision. No `exp` and
/// a single division, so GELU costs a fraction of what it did through Abramowitz and Stegun.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let p = ((((((-2.726_142_3e-10 * x2 + 2.770_681_4e-8) * x2 - 2.101_024e-6) * x2
        - 5.692_506_4e-5)
        * x2
        - 7.349_906_3e-4)
        * x2
        - 2.954_6e-3)
        * x2
        - 1.609_603_3e-2)
        * x;
    let q = (((-1.456_607_2e-5 * x2 - 2.133_740_6e-4) * x2 - 1.682_827e-3) * x2 - 7.373_329e-3)
        * x2
        - 1.426_474e-2;
    p / q
}

/// GELU as BERT defines it, with the exact error function: `x·Φ(x)`.
#[inline(always)]
pub fn gelu_in_place(xs: &mut [f32]) {
    for x in xs {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// GELU with the tanh approximation (`gelu_new` and `gelu_pytorch_tanh` in Hugging Face
/// configs), through `tanh(u) = 1 - 2 / (e^{2u} + 1)`.
#[inline(always)]
pub fn gelu_tanh_in_place(xs: &mut [f32]) {
    const C: f32 = 0.797_884_6; // sqrt(2/π)
    for x in xs {
        let u = C * (*x + 0.044_715 * *x * *x * *x);
        let tanh = 1.0 - 2.0 / (exp(2.0 * u) + 1.0);
        *x = 0.5 * *x * (1.0 + tanh);
    }
}

/// Softmax of `scale · xs` (`scale` > 0), in place.
#[inline(always)]
pub fn softmax_in_place(xs: &mut [f32], scale: f32) {
    let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for x in xs.iter_mut() {
        *x = exp((*x - max) * scale);
    }
    let inv = 1.0 / sum(xs);
    for x in xs {
        *x *= inv;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn grid(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
        (0..=n).map(move |i| lo + (hi - lo) * i as f64 / n as f64)
    }

    /// erf in f64 from its Taylor series (converges fast enough on |x| <= 4 with 60 terms)
    /// or 1 beyond, where erf is 1 to f32 precision; independent of the approximation tested.
    pub(crate) fn erf_reference(x: f64) -> f64 {
        if x.abs() > 4.0 {
            return x.signum();
        }
        let mut term = x;
        let mut total = x;
        for n in 1..120 {
            term *= -x * x / n as f64;
            total += term / (2 * n + 1) as f64;
        }
        total * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn exp_is_accurate_over_the_softmax_range() {
        for x in grid(-80.0, 80.0, 20_000) {
            let got = f64::from(exp(x as f32));
            let want = (x as f32 as f64).exp();
            assert!(
                ((got - want) / want).abs() < 3e-7,
                "exp({x}) = {got}, want {want}"
            );
        }
        assert_eq!(exp(-1000.0), exp(-87.3));
        assert!(exp(-87.3) < 1e-37);
    }

    #[test]
    fn erf_is_accurate_everywhere() {
        for x in grid(-6.0, 6.0, 20_000) {
            let got = f64::from(erf(x as f32));
            let want = erf_reference(x as f32 as f64);
            assert!((got - want).abs() < 5e-7, "erf({x}) = {got}, want {want}");
        }
        assert_eq!(erf(0.0), 0.0);
    }

    #[test]
    fn gelu_variants_agree_where_they_should() {
        let mut exact = vec![-3.0f32, -1.0, 0.0, 0.5, 2.0];
        let mut tanh = exact.clone();
        gelu_in_place(&mut exact);
        gelu_tanh_in_place(&mut tanh);
        // GELU(2) = 2·Φ(2) = 1.9544997.
        assert!((exact[4] - 1.954_499_7).abs() < 1e-6);
        assert_eq!(exact[2], 0.0);
        for (a, b) in exact.iter().zip(&tanh) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
    }

    #[test]
    fn softmax_and_layer_norm_keep_their_invariants() {
        let mut row = vec![1000.0f32, 999.0, -5.0, 0.0, 3.5, 3.5, 1e-3, 7.0, 1.0];
        softmax_in_place(&mut row, 0.5);
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((row[0] / row[1] - std::f32::consts::E.sqrt()).abs() < 1e-4);

        let mut row: Vec<f32> = (0..19).map(|i| i as f32 * 0.7 - 3.0).collect();
        let ones = vec![1.0; 19];
        let zeros = vec![0.0; 19];
        layer_norm(&mut row, &ones, &zeros, 1e-12);
        let mean = row.iter().sum::<f32>() / 19.0;
        let var = row.iter().map(|x| x * x).sum::<f32>() / 19.0;
        assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5);
    }
}
