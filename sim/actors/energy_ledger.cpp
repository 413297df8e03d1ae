#include "actors/energy_ledger.hpp"

#include <limits>

namespace popex {

EnergyLedger::EnergyLedger(std::optional<EnergyParams> energy, std::function<void(Image*)> write)
    : energy_(std::move(energy)), write_(std::move(write))
{
  if (energy_)
    meter_.emplace(energy_->radio);
}

void EnergyLedger::created(Image* image)
{
  if (meter_)
    live_[image->record.id] = image;
}

void EnergyLedger::credit(std::uint64_t id, double joules)
{
  if (const auto it = live_.find(id); it != live_.end())
    it->second->record.radio_energy_j += joules;
}

void EnergyLedger::transfer(double start_s, double end_s, double up_mbit, double down_mbit, Image* owner,
                            double now_s)
{
  if (!meter_)
    return;
  const RadioMeter::Owner who = owner != nullptr ? RadioMeter::Owner(owner->record.id) : std::nullopt;
  const double own            = meter_->transfer(start_s, end_s, up_mbit, down_mbit, who);
  if (owner != nullptr)
    owner->record.radio_energy_j += own;
  if (meter_->cut_owner())
    credit(*meter_->cut_owner(), meter_->cut_tail_j());
  if (!started_ || end_s >= tail_start_) { // this transfer's tail is the one running now (as in the meter)
    started_       = true;
    tail_owner_    = who;
    tail_start_    = end_s;
    tail_credited_ = false;
  }
  flush(now_s);
}

void EnergyLedger::finished(Image* image, double now_s)
{
  if (!meter_) {
    write_(image);
    return;
  }
  image->record.compute_energy_j = energy_->device.busy_w * image->record.edge_s;
  done_.push_back(image);
  flush(now_s);
}

void EnergyLedger::flush(double now_s)
{
  while (!done_.empty()) {
    Image* head = done_.front();
    if (tail_owner_ && *tail_owner_ == head->record.id && !tail_credited_) {
      if (!meter_->tail_final(now_s))
        return; // its tail still runs: the next transfer may cut it
      credit(head->record.id, meter_->open_tail(now_s)->second);
      tail_credited_ = true; // in full: the transfer that ends it later credits nobody (the image is gone)
    }
    live_.erase(head->record.id);
    done_.pop_front();
    write_(head);
  }
}

double EnergyLedger::next_flush_s() const
{
  if (done_.empty() || !tail_owner_ || tail_credited_ || *tail_owner_ != done_.front()->record.id)
    return std::numeric_limits<double>::infinity();
  return tail_start_ + energy_->radio.tail_s;
}

void EnergyLedger::drain()
{
  flush(std::numeric_limits<double>::infinity());
}

} // namespace popex
