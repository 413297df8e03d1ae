#include "actors/transfers.hpp"

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace popex {

sg4::Mailbox* uplink_mailbox(sg4::Engine& engine, const sg4::ActorPtr& receiver, const std::string& name)
{
  sg4::Mailbox* mailbox = engine.mailbox_by_name_or_create(name);
  mailbox->set_receiver(receiver);
  return mailbox;
}

sg4::ActorPtr uplink_receiver(sg4::Host* host, const std::string& name)
{
  // Not suspended: SimGrid 3.32 suspends the transfers of a suspended receiver. It waits on a mailbox of its own,
  // where nothing is ever sent.
  sg4::Mailbox* never = sg4::Mailbox::by_name(name);
  const sg4::ActorPtr receiver = sg4::Actor::create(name, host, [never] { never->get<void>(); });
  receiver->daemonize();
  return receiver;
}

void take_back(sg4::Mailbox* mailbox)
{
  mailbox->get<void>();
}

} // namespace popex
