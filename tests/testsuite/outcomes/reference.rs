//! Reference numbers printed by `tests/data/outcomes_reference.py` (numpy 2.4, scikit-learn 1.9,
//! scipy 1.17), copied verbatim: predictions by `np.argmax`, `confusion_matrix`,
//! `precision_recall_fscore_support(zero_division=np.nan)` (F1 set to NaN where precision or
//! recall is, as the outcomes define it), `accuracy_score`, `balanced_accuracy_score`,
//! `f1_score(average="macro", zero_division=0)`, the temperature by `minimize_scalar` refined
//! with `brentq` on the NLL's slope, and the 15-bin ECE.
//!
//! The data: 60 samples x 4 classes, logits on a grid of halves, class 1 absent from the labels,
//! class 3 debris; current weights [1, 1, 0, 0.5], trained with [1, 1, 1, 1]; counts
//! [260, 10, 56, 500]; deployment prior [0.2, 0.05, 0.05, 0.7].
pub const C: usize = 4;
pub const N: usize = 60;
pub const LABELS: [u32; N] = [
    0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2,
    3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3, 0, 2, 3, 3, 0, 3,
];
pub const LOGITS: [[f64; C]; N] = [
    [-0.5, -2.0, -2.0, -2.0],
    [-0.5, -1.5, 3.5, 1.0],
    [1.0, -1.0, 1.5, 1.0],
    [2.0, -1.0, -1.0, -1.0],
    [1.0, 0.0, 0.5, 1.0],
    [1.0, 0.5, 0.0, 1.0],
    [-0.5, 1.0, -0.5, -2.0],
    [-0.5, 1.5, 0.5, 1.0],
    [1.0, 2.0, -1.5, 1.0],
    [-2.0, -2.0, -2.0, -0.5],
    [-1.0, 2.0, -1.0, -1.0],
    [1.0, -1.0, 1.5, 1.0],
    [-0.5, -0.5, 1.0, -2.0],
    [-0.5, 0.0, 2.0, 1.0],
    [1.0, 0.5, 0.0, 1.0],
    [-2.0, 1.0, -0.5, -0.5],
    [1.0, 1.5, -1.0, 1.0],
    [2.0, -1.0, -1.0, -1.0],
    [-0.5, -2.0, -2.0, -2.0],
    [-0.5, -1.5, 3.5, 1.0],
    [1.0, -1.0, 1.5, 1.0],
    [-2.0, -0.5, 1.0, -0.5],
    [1.0, 0.0, 0.5, 1.0],
    [1.0, 0.5, 0.0, 1.0],
    [-1.0, 2.0, -1.0, -1.0],
    [-0.5, 1.5, 0.5, 1.0],
    [1.0, 2.0, -1.5, 1.0],
    [-2.0, -2.0, -2.0, -0.5],
    [1.0, -1.5, 2.0, 1.0],
    [1.0, -1.0, 1.5, 1.0],
    [-0.5, -0.5, 1.0, -2.0],
    [-1.0, -1.0, -1.0, 2.0],
    [1.0, 0.5, 0.0, 1.0],
    [-2.0, 1.0, -0.5, -0.5],
    [1.0, 1.5, -1.0, 1.0],
    [1.0, 2.0, -1.5, 1.0],
    [-0.5, -2.0, -2.0, -2.0],
    [-0.5, -1.5, 3.5, 1.0],
    [2.0, -1.0, -1.0, -1.0],
    [-2.0, -0.5, 1.0, -0.5],
    [1.0, 0.0, 0.5, 1.0],
    [1.0, 0.5, 0.0, 1.0],
    [-0.5, 1.0, -0.5, -2.0],
    [-0.5, 1.5, 0.5, 1.0],
    [1.0, 2.0, -1.5, 1.0],
    [2.0, -1.0, -1.0, -1.0],
    [1.0, -1.5, 2.0, 1.0],
    [1.0, -1.0, 1.5, 1.0],
    [-0.5, -0.5, 1.0, -2.0],
    [-0.5, 0.0, 2.0, 1.0],
    [1.0, 0.5, 0.0, 1.0],
    [-2.0, 1.0, -0.5, -0.5],
    [-1.0, 2.0, -1.0, -1.0],
    [1.0, 2.0, -1.5, 1.0],
    [-0.5, -2.0, -2.0, -2.0],
    [-0.5, -1.5, 3.5, 1.0],
    [1.0, -1.0, 1.5, 1.0],
    [-2.0, -0.5, 1.0, -0.5],
    [1.0, 0.0, 0.5, 1.0],
    [2.0, -1.0, -1.0, -1.0],
];
pub mod current {
    use super::{C, N};
    pub const PREDICTIONS: [u32; N] = [
        0, 3, 0, 0, 0, 0, 1, 1, 1, 3, 1, 0, 0, 3, 0, 1, 1, 0, 0, 3, 0, 1, 0, 0, 1, 1, 1, 3, 0, 0,
        0, 3, 0, 1, 1, 1, 0, 3, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 3, 0, 1, 1, 1, 0, 3, 0, 1, 0, 0,
    ];
    pub const CONFUSION: [[u64; C]; C] =
        [[13, 7, 0, 0], [0, 0, 0, 0], [0, 3, 0, 7], [17, 11, 0, 2]];
    pub const PRECISION: [Option<f64>; C] = [
        Some(0.43333333333333335),
        Some(0.0),
        None,
        Some(0.2222222222222222),
    ];
    pub const RECALL: [Option<f64>; C] = [Some(0.65), None, Some(0.0), Some(0.06666666666666667)];
    pub const F1: [Option<f64>; C] = [Some(0.52), None, None, Some(0.10256410256410256)];
    pub const ACCURACY: f64 = 0.25;
    pub const BALANCED_ACCURACY: f64 = 0.2388888888888889;
    pub const MACRO_F1: f64 = 0.15564102564102564;
}
pub mod baseline {
    use super::{C, N};
    pub const PREDICTIONS: [u32; N] = [
        0, 2, 2, 0, 0, 0, 1, 1, 1, 3, 1, 2, 2, 2, 0, 1, 1, 0, 0, 2, 2, 2, 0, 0, 1, 1, 1, 3, 2, 2,
        2, 3, 0, 1, 1, 1, 0, 2, 0, 2, 0, 0, 1, 1, 1, 0, 2, 2, 2, 2, 0, 1, 1, 1, 0, 2, 2, 2, 0, 0,
    ];
    pub const CONFUSION: [[u64; C]; C] = [[8, 7, 5, 0], [0, 0, 0, 0], [0, 3, 6, 1], [11, 8, 9, 2]];
    pub const PRECISION: [Option<f64>; C] = [
        Some(0.42105263157894735),
        Some(0.0),
        Some(0.3),
        Some(0.6666666666666666),
    ];
    pub const RECALL: [Option<f64>; C] = [Some(0.4), None, Some(0.6), Some(0.06666666666666667)];
    pub const F1: [Option<f64>; C] = [
        Some(0.41025641025641024),
        None,
        Some(0.4),
        Some(0.12121212121212122),
    ];
    pub const ACCURACY: f64 = 0.26666666666666666;
    pub const BALANCED_ACCURACY: f64 = 0.35555555555555557;
    pub const MACRO_F1: f64 = 0.23286713286713287;
}
pub mod corrected {
    use super::{C, N};
    pub const PREDICTIONS: [u32; N] = [
        1, 3, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 3, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0,
        1, 3, 1, 1, 1, 1, 1, 3, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 3, 0, 1, 1, 0,
    ];
    pub const CONFUSION: [[u64; C]; C] =
        [[2, 18, 0, 0], [0, 0, 0, 0], [0, 5, 0, 5], [11, 19, 0, 0]];
    pub const PRECISION: [Option<f64>; C] = [Some(0.15384615384615385), Some(0.0), None, Some(0.0)];
    pub const RECALL: [Option<f64>; C] = [Some(0.1), None, Some(0.0), Some(0.0)];
    pub const F1: [Option<f64>; C] = [Some(0.12121212121212122), None, None, Some(0.0)];
    pub const ACCURACY: f64 = 0.03333333333333333;
    pub const BALANCED_ACCURACY: f64 = 0.03333333333333333;
    pub const MACRO_F1: f64 = 0.030303030303030304;
}
pub mod calibrated {
    use super::{C, N};
    pub const PREDICTIONS: [u32; N] = [
        0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0,
        0, 3, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0,
    ];
    pub const CONFUSION: [[u64; C]; C] =
        [[13, 7, 0, 0], [0, 0, 0, 0], [4, 5, 0, 1], [19, 11, 0, 0]];
    pub const PRECISION: [Option<f64>; C] = [Some(0.3611111111111111), Some(0.0), None, Some(0.0)];
    pub const RECALL: [Option<f64>; C] = [Some(0.65), None, Some(0.0), Some(0.0)];
    pub const F1: [Option<f64>; C] = [Some(0.4642857142857143), None, None, Some(0.0)];
    pub const ACCURACY: f64 = 0.21666666666666667;
    pub const BALANCED_ACCURACY: f64 = 0.21666666666666667;
    pub const MACRO_F1: f64 = 0.11607142857142858;
}
pub const DEPLOYED_CONFUSION: [[f64; C]; C] = [
    [1300.0, 700.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0],
    [0.0, 150.0, 0.0, 350.0],
    [
        3966.6666666666665,
        2566.6666666666665,
        0.0,
        466.6666666666667,
    ],
];
pub const DEPLOYED_PRECISION: [Option<f64>; C] = [
    Some(0.24683544303797472),
    Some(0.0),
    None,
    Some(0.5714285714285714),
];
pub const LOSS_SUM: f64 = 56.39395870452273;
pub const LOSS_MEAN: f64 = 1.6112559629863636;
pub const LOSS_MEAN_PER_SAMPLE: f64 = 0.9398993117420456;
pub const TEMPERATURE: f64 = 2.9614695805244815;
pub const ECE_BEFORE: f64 = 0.37730055096808096;
pub const ECE_AFTER: f64 = 0.1710146489910379;
