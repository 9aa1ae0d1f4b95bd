#[allow(dead_code)]
pub mod alerts;
#[allow(dead_code)]
pub mod desk;
#[allow(dead_code)]
pub mod dunst;
#[allow(dead_code)]
pub mod webdriver;
