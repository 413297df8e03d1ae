#include "core/energy.hpp"

#include <algorithm>

namespace popex {

std::optional<RadioPower> radio_preset(const std::string& technology)
{
  // Huang et al., MobiSys 2012: Table 3 (power model: alpha_u, alpha_d in mW/Mbps, beta in mW) and Table 4 (tail and
  // promotion power and duration), as docs/model.md transcribes them. W and s here.
  if (technology == "4g" || technology == "lte")
    return RadioPower{"4g", 0.43839, 0.05197, 1.28804, 1.0600, 11.576, 1.2107, 0.2601};
  if (technology == "3g")
    return RadioPower{"3g", 0.86898, 0.12212, 0.81788, 0.8039, 8.0882, 0.6594, 0.5821};
  if (technology == "wifi")
    return RadioPower{"wifi", 0.28317, 0.13701, 0.13286, 0.1193, 0.2381, 0.1244, 0.0791};
  return std::nullopt;
}

const std::vector<RadioField>& radio_fields()
{
  static const std::vector<RadioField> fields{{"alpha_up_w_per_mbps", &RadioPower::alpha_up_w_per_mbps},
                                              {"alpha_down_w_per_mbps", &RadioPower::alpha_down_w_per_mbps},
                                              {"beta_w", &RadioPower::beta_w},
                                              {"tail_w", &RadioPower::tail_w},
                                              {"tail_s", &RadioPower::tail_s},
                                              {"promotion_w", &RadioPower::promotion_w},
                                              {"promotion_s", &RadioPower::promotion_s}};
  return fields;
}

double offload_radio_j(const RadioPower& r, const LinkParams& a, double bytes_up, double result_bytes, double gap_s)
{
  const double up_mbit = 8.0 * bytes_up * a.protocol_overhead / 1e6;
  double j             = r.promotion_w * r.promotion_s + r.alpha_up_w_per_mbps * up_mbit +
             r.beta_w * (a.uplink_latency_s + 1e6 * up_mbit / a.uplink_bps);
  if (result_bytes > 0) {
    const double down_mbit = 8.0 * result_bytes * a.protocol_overhead / 1e6;
    j += r.tail_w * std::min(gap_s, r.tail_s) + r.alpha_down_w_per_mbps * down_mbit +
         r.beta_w * (a.downlink_latency_s + 1e6 * down_mbit / a.downlink_bps);
    if (gap_s >= r.tail_s) // the tail ran out before the result: the radio is promoted again (as RadioMeter does)
      j += r.promotion_w * r.promotion_s;
  }
  return j + r.tail_w * r.tail_s;
}

std::vector<EnergyTerms> expected_energies(const Dnn& dnn, const ModelParams& p, const EnergyParams& e)
{
  const std::size_t n = dnn.layer_count();
  std::vector<EnergyTerms> out(n + 1);
  double reach = 1.0;
  double busy  = 0.0; // expected device execution time
  for (std::size_t s = 0; s <= n; ++s) {
    if (s > 0) {
      busy += reach * p.gamma * edge_base_layer_s(dnn, p.edge_profile.get(), s);
      if (const int k = dnn.branch_after(s); k >= 0) {
        busy += reach * p.gamma * edge_base_branch_s(dnn, p.edge_profile.get(), static_cast<std::size_t>(k));
        reach *= 1.0 - p.exit_probs[static_cast<std::size_t>(k)];
      }
    }
    out[s].compute_j = e.device.busy_w * busy;
    if (s < n)
      out[s].radio_j = reach * offload_radio_j(e.radio, p.link, dnn.split_bytes(s), dnn.result_bytes(),
                                               dnn.cloud_suffix_s(s) + p.cloud_wait_s);
  }
  return out;
}

std::vector<EnergyTerms> expected_energies(const Dnn& dnn, const TieredParams& p, const EnergyParams& e)
{
  const std::size_t n      = dnn.layer_count();
  const auto device_side   = expected_energies(dnn, p.device, e); // compute up to s1, and the radio at s1...
  std::vector<EnergyTerms> out;
  for (std::size_t s1 = 0; s1 <= n; ++s1) {
    EnergyTerms t;
    t.compute_j = device_side[s1].compute_j;
    if (s1 < n) // ... with the gap bounded by a full tail: it depends on where the image ends (docs/model.md)
      t.radio_j = offload_prob(dnn, p.device.exit_probs, s1) *
                  offload_radio_j(e.radio, p.device.link, dnn.split_bytes(s1), dnn.result_bytes(), e.radio.tail_s);
    for (std::size_t s2 = s1; s2 <= n; ++s2)
      out.push_back(t);
  }
  return out;
}

} // namespace popex
