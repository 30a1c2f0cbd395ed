//! Deployment shares as the Outcomes view edits them: one share set with the others keeping
//! their proportions, and a first prior taken from the training counts.

/// `prior` with class `class`'s share set to `share`, the others scaled to keep the sum at 1
/// (spread evenly when they were all 0).
#[must_use]
pub fn with_share(prior: &[f64], class: usize, share: f64) -> Vec<f64> {
    let others: f64 = prior
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != class)
        .map(|(_, &p)| p)
        .sum();
    let rest = (1.0 - share).max(0.0);
    prior
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            if k == class {
                share
            } else if others > 0.0 {
                p * rest / others
            } else {
                rest / (prior.len() - 1).max(1) as f64
            }
        })
        .collect()
}

/// Each count's share of the total: the training proportions, a first deployment prior
/// (equal shares when every count is 0).
#[must_use]
pub fn count_shares(counts: &[u64]) -> Vec<f64> {
    let total: f64 = counts.iter().map(|&count| count as f64).sum();
    counts
        .iter()
        .map(|&count| {
            if total > 0.0 {
                count as f64 / total
            } else {
                1.0 / counts.len() as f64
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use super::*;

    #[test]
    fn a_share_changes_and_the_others_keep_their_proportions() {
        let prior = with_share(&[0.1, 0.3, 0.6], 0, 0.5);
        assert_eq!(prior[0], 0.5);
        assert!((prior[1] - 0.5 * 1.0 / 3.0).abs() < 1e-15, "{prior:?}");
        assert!((prior[2] - 0.5 * 2.0 / 3.0).abs() < 1e-15, "{prior:?}");
        assert!((prior.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        // All the rest at 0: spread evenly.
        assert_eq!(with_share(&[1.0, 0.0, 0.0], 0, 0.5), [0.5, 0.25, 0.25]);
        // A share of 1 leaves nothing for the others, and never a negative share.
        assert_eq!(with_share(&[0.25, 0.75], 1, 1.0), [0.0, 1.0]);
        assert_eq!(with_share(&[0.25, 0.75], 1, 1.5), [0.0, 1.5]);
        // A single class keeps the share it is given.
        assert_eq!(with_share(&[1.0], 0, 0.4), [0.4]);
    }

    #[test]
    fn the_training_counts_give_their_proportions() {
        // The notebook's counts: 260, 10, 56, 500 of 826.
        let shares = count_shares(&[260, 10, 56, 500]);
        let expected = [260.0 / 826.0, 10.0 / 826.0, 56.0 / 826.0, 500.0 / 826.0];
        assert_eq!(shares, expected);
        assert_eq!(count_shares(&[1, 3]), [0.25, 0.75]);
        // No samples at all: equal shares.
        assert_eq!(count_shares(&[0, 0, 0, 0]), [0.25; 4]);
        assert!(count_shares(&[]).is_empty());
    }
}
