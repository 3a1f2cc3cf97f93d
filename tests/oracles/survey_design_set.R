# The designs every survey oracle here uses, built on `sample` (survey_sample.csv, written by
# survey_designs.R): plain weights, strata, clusters (nested in strata) and fpc; each also
# raked, post-stratified and calibrated (calfun = "raking"). Sourced from the repository root
# by survey_designs.R, survey_chisq.R and survey_ranktest.R; defines `calibrated` (and `margin`).
shares <- list(gender = c(female = 0.52, male = 0.48),
               senior = c(senior = 0.22, younger = 0.78),
               internet_service = c(DSL = 0.30, "Fiber optic" = 0.50, No = 0.20))
total_w <- sum(sample$w)
margin <- function(name) {
  df <- data.frame(names(shares[[name]]), as.numeric(shares[[name]]) * total_w)
  names(df) <- c(name, "Freq")
  df
}
designs <- list(
  plain = svydesign(ids = ~1, weights = ~w, data = sample),
  strata = svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = sample),
  cluster = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = sample, nest = TRUE),
  cluster_fpc = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = sample, nest = TRUE)
)
rake_margins <- c("gender", "senior", "internet_service")
# the same margins as calibration totals (intercept and treatment dummies), for calibrate()
totals <- c("(Intercept)" = total_w, gendermale = 0.48 * total_w, senioryounger = 0.78 * total_w,
            "internet_serviceFiber optic" = 0.50 * total_w, internet_serviceNo = 0.20 * total_w)
control <- list(maxit = 100, epsilon = 1e-12)
calibrated <- list()
for (name in names(designs)) {
  d <- designs[[name]]
  calibrated[[name]] <- d
  calibrated[[paste0(name, "+rake")]] <- rake(d, lapply(rake_margins, function(m) as.formula(paste0("~", m))),
                                             lapply(rake_margins, margin), control = control)
  calibrated[[paste0(name, "+post")]] <- postStratify(d, ~internet_service, margin("internet_service"))
  calibrated[[paste0(name, "+cal")]] <- calibrate(d, ~gender + senior + internet_service, totals,
                                                  calfun = "raking", epsilon = 1e-13, maxit = 200)
}
