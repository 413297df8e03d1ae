#include "actors/image_source.hpp"
#include "core/random.hpp"

#include <simgrid/s4u.hpp>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_source, "Image sources");

namespace sg4 = simgrid::s4u;

namespace popex {

ImageSource::ImageSource(ImageSourceConfig config, DeviceState& device, const ExitRegime& regime)
    : config_(config), device_(device), regime_(regime)
{
}

void ImageSource::operator()()
{
  const auto dev = static_cast<std::uint64_t>(device_.index);
  SplitMix64 arrivals(stream_seed(config_.seed, Stream::ARRIVALS, dev, 0));
  const double t0       = sg4::Engine::get_clock();
  std::uint64_t created = 0;
  std::uint64_t waited  = 0;
  while (!config_.images || created < *config_.images) {
    const double now = sg4::Engine::get_clock();
    if (config_.duration_s && now >= *config_.duration_s)
      break;
    Image* img            = device_.pool.acquire();
    img->record.id        = created;
    img->record.device    = device_.index;
    img->record.arrival_s = now;
    img->outcome = regime_.samplers[regime_.current]->draw(config_.seed, dev, created);
    device_.edge_queue.push(img);
    ++created;
    switch (config_.arrival.process) {
      case ArrivalProcess::CLOSED_LOOP:
        device_.finished->acquire();
        ++waited;
        break;
      case ArrivalProcess::PERIODIC:
        sg4::this_actor::sleep_until(t0 + static_cast<double>(created) / config_.arrival.rate_hz);
        break;
      case ArrivalProcess::POISSON:
        sg4::this_actor::sleep_for(arrivals.exponential(config_.arrival.rate_hz));
        break;
    }
  }
  device_.edge_queue.push(nullptr); // end marker for the edge device
  for (; waited < created; ++waited)
    device_.finished->acquire();
  XBT_DEBUG("device %d: %llu images done", device_.index, static_cast<unsigned long long>(created));
}

} // namespace popex
