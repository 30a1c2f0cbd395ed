//! A small seeded random number generator (`SplitMix64`) and the draws the bootstrap needs:
//! binomial and multinomial counts, exact in distribution (up to the rounding of f64).
//!
//! In the project, not a crate: results must be the same on every machine and every release.

/// `SplitMix64` (Steele, Lea and Flood 2014; the seeder of Vigna's xoshiro generators).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started at `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent stream for `(seed, stream)`: the same pair gives the same numbers
    /// whichever thread draws them, or in which order the streams are used.
    #[must_use]
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut mixer = Self::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Self::new(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1), a multiple of 2^-53.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal number (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let radius = (-2.0 * (1.0 - self.uniform()).ln()).sqrt();
        radius * (std::f64::consts::TAU * self.uniform()).cos()
    }

    /// A Gamma(shape, 1) number for `shape >= 1` (Marsaglia and Tsang 2000).
    #[allow(
        clippy::many_single_char_names,
        reason = "the paper's names, to check against it"
    )]
    pub fn gamma(&mut self, shape: f64) -> f64 {
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
                return d * v;
            }
        }
    }

    /// A Beta(a, b) number for `a, b >= 1`.
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        x / (x + y)
    }

    /// A Binomial(n, p) count.
    ///
    /// Large means split on an order statistic (Devroye 1986, X.4: the i-th smallest of n
    /// uniforms is Beta(i, n + 1 - i), and the uniforms on each side of it are uniform
    /// again), halving n each time; small means invert the distribution function as NumPy does.
    pub fn binomial(&mut self, trials: u64, probability: f64) -> u64 {
        let mut n = trials;
        let mut p = probability;
        let mut count = 0;
        loop {
            if n == 0 || p <= 0.0 {
                return count;
            }
            if p >= 1.0 {
                return count + n;
            }
            let mean = n as f64 * p.min(1.0 - p);
            if mean <= SMALL_MEAN {
                return count
                    + if p <= 0.5 {
                        self.binomial_inversion(n, p)
                    } else {
                        n - self.binomial_inversion(n, 1.0 - p)
                    };
            }
            let i = n.div_ceil(2);
            let y = self.beta(i as f64, (n + 1 - i) as f64);
            if y <= p {
                count += i;
                n -= i;
                p = (p - y) / (1.0 - y);
            } else {
                n = i - 1;
                p /= y;
            }
        }
    }

    /// Binomial(n, p) by inversion for `p <= 0.5` and a small mean (NumPy's
    /// `random_binomial_inversion`, which restarts past ten standard deviations).
    #[allow(
        clippy::many_single_char_names,
        reason = "NumPy's names, to check against it"
    )]
    fn binomial_inversion(&mut self, n: u64, p: f64) -> u64 {
        let q = 1.0 - p;
        let first = (n as f64 * q.ln()).exp();
        let mean = n as f64 * p;
        let bound = (n as f64).min(mean + 10.0 * (mean * q + 1.0).sqrt());
        let mut x = 0u64;
        let mut px = first;
        let mut u = self.uniform();
        while u > px {
            x += 1;
            if x as f64 > bound {
                x = 0;
                px = first;
                u = self.uniform();
            } else {
                u -= px;
                px = ((n - x + 1) as f64 * p * px) / (x as f64 * q);
            }
        }
        x
    }

    /// Counts of `trials` draws over cells of sizes `sizes` (each cell drawn with probability
    /// `size / sum of sizes`): a multinomial by conditional binomials, in cell order.
    pub fn multinomial(&mut self, trials: u64, sizes: &[u64]) -> Vec<u64> {
        let mut remaining_mass: u64 = sizes.iter().sum();
        let mut remaining = trials;
        sizes
            .iter()
            .map(|&size| {
                if size == 0 || remaining == 0 {
                    return 0;
                }
                let drawn = if size >= remaining_mass {
                    remaining
                } else {
                    self.binomial(remaining, size as f64 / remaining_mass as f64)
                };
                remaining -= drawn;
                remaining_mass -= size;
                drawn
            })
            .collect()
    }
}

/// The mean below which [`SplitMix64::binomial`] inverts rather than splits.
const SMALL_MEAN: f64 = 16.0;

#[cfg(test)]
#[allow(
    clippy::cast_possible_truncation,
    reason = "counts of at most a few hundred, used as indices"
)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Vigna's splitmix64.c from seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    /// Mean and variance of `draws` Binomial(n, p) samples, within 6 standard errors.
    fn check_binomial(n: u64, p: f64, draws: usize) {
        let mut rng = SplitMix64::new(n ^ p.to_bits());
        let samples: Vec<f64> = (0..draws).map(|_| rng.binomial(n, p) as f64).collect();
        let k = draws as f64;
        let mean = samples.iter().sum::<f64>() / k;
        let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
        let (true_mean, true_variance) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(samples.iter().all(|&x| x <= n as f64));
        assert!(
            (mean - true_mean).abs() < 6.0 * (true_variance / k).sqrt(),
            "n {n} p {p}: mean {mean} vs {true_mean}"
        );
        // The variance of the sample variance is about 2 sigma^4 / k for these near-normal laws.
        assert!(
            (variance - true_variance).abs() < 6.0 * true_variance * (2.0 / k).sqrt() + 0.05,
            "n {n} p {p}: variance {variance} vs {true_variance}"
        );
    }

    #[test]
    fn binomial_draws_have_the_right_mean_and_variance() {
        for (n, p) in [
            (10, 0.3),
            (1_000, 0.001),
            (200, 0.4),
            (1_000, 0.93),
            (10_000_000, 0.5),
            (10_000_000, 3e-7),
        ] {
            check_binomial(n, p, 20_000);
        }
    }

    #[test]
    fn binomial_draws_follow_the_distribution() {
        // Chi-square against the exact probabilities, where the split path runs (mean 80).
        let (n, p, draws) = (200u64, 0.4, 50_000usize);
        let mut rng = SplitMix64::new(7);
        let mut histogram = vec![0u64; 201];
        for _ in 0..draws {
            histogram[rng.binomial(n, p) as usize] += 1;
        }
        let mut pmf = vec![0.0; 201];
        pmf[0] = (n as f64 * (1.0 - p).ln()).exp();
        for k in 1..=200 {
            pmf[k] = pmf[k - 1] * (n - k as u64 + 1) as f64 / k as f64 * p / (1.0 - p);
        }
        let (mut chi2, mut cells) = (0.0, 0);
        for k in 60..=100 {
            let expected = pmf[k] * draws as f64;
            chi2 += (histogram[k] as f64 - expected).powi(2) / expected;
            cells += 1;
        }
        // 41 cells: the 99.99th percentile of chi-square(41) is about 81.
        assert!(chi2 < 81.0, "chi2 {chi2} over {cells} cells");
    }

    #[test]
    fn multinomial_counts_add_up_and_skip_empty_cells() {
        let mut rng = SplitMix64::new(3);
        let counts = rng.multinomial(1_000, &[0, 500, 0, 250, 250]);
        assert_eq!(counts.iter().sum::<u64>(), 1_000);
        assert_eq!((counts[0], counts[2]), (0, 0));
    }
}
