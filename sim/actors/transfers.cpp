#include "actors/transfers.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace popex {

sg4::Mailbox* drained_inbox(sg4::Engine& engine, sg4::Host* host, const std::string& name)
{
  sg4::Mailbox* inbox = engine.mailbox_by_name_or_create(name);
  const sg4::ActorPtr drain = sg4::Actor::create(name + "-drain", host, [inbox] {
    while (true) {
      try {
        inbox->get<void>();
      } catch (const simgrid::Exception&) {
        // A transfer cancelled by its sender (a device that ended with a probe in flight, a stopped run).
      }
    }
  });
  drain->daemonize();
  inbox->set_receiver(drain);
  return inbox;
}

} // namespace popex
