// UpdateSink: where the world sends the updates the bot would receive. UpdateQueue implements it.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string_view>

namespace subguard::sandbox {

class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  // type is the Update's field ("message", "chat_member"...); payload is that field's object; queue_key
  // orders deliveries the way the official server's webhook queues do (per chat for messages, per user for
  // callback queries). Returns the update_id, or 0 when the bot's allowed_updates leave this type out.
  virtual int64_t Push(std::string_view type, boost::json::value payload, int64_t queue_key) = 0;
};

}  // namespace subguard::sandbox
