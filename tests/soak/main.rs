//! The soak test of issue 12, and in `regressions` the bugs it found.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]

mod regressions;
