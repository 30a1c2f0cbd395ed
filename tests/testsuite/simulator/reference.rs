//! Reference numbers printed by `tests/data/simulator_sklearn.py` (scikit-learn 1.9.1, numpy
//! 2.4.6), copied verbatim: `LogisticRegression(C=1/l2, class_weight=dict, tol=1e-12,
//! max_iter=10000)` (lbfgs, multinomial) on `tests/data/simulator_small.csv`, and the objective
//! `sum_i w[y_i] (-ln softmax(z_i)[y_i]) + (l2 / 2) ||W||^2` evaluated at its coefficients.
//! The script also fits with newton-cholesky: the two solvers' coefficients differ by 1e-7
//! (relative), which bounds how closely scikit-learn itself has the optimum.
pub const NOTEBOOK_WEIGHTS: [f64; 4] = [0.8, 26.0, 4.0, 0.4];
pub const NOTEBOOK_L2: f64 = 1.0;
pub const NOTEBOOK_COEF: [[f64; 2]; 4] = [
    [1.7467314114570665, -0.021605652186743925],
    [-0.9945138124958741, 1.473603826495922],
    [-0.7995273666750418, -1.5044272682490354],
    [0.047309767713852674, 0.05242909393984618],
];
pub const NOTEBOOK_INTERCEPT: [f64; 4] = [
    -0.9548371810949072,
    -0.45051849877166494,
    -1.0254238560508369,
    2.4307795359173987,
];
pub const NOTEBOOK_OBJECTIVE: f64 = 103.71523528512112;
pub const LOW_DEBRIS_WEIGHTS: [f64; 4] = [1.0, 10.0, 3.0, 0.05];
pub const LOW_DEBRIS_L2: f64 = 0.1;
pub const LOW_DEBRIS_COEF: [[f64; 2]; 4] = [
    [2.383876916802183, -0.025407752221818035],
    [-1.2127290219655489, 1.882300174002732],
    [-1.1073466782353547, -2.003613201348447],
    [-0.06380121660129585, 0.14672077956754848],
];
pub const LOW_DEBRIS_INTERCEPT: [f64; 4] = [
    -0.8117425551998337,
    -0.379635898283187,
    -1.079812511108461,
    2.271190964591494,
];
pub const LOW_DEBRIS_OBJECTIVE: f64 = 20.37198922052478;
