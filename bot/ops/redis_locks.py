"""Rasa's Redis lock store, with each change to a conversation's lock made inside Redis.

Several Rasa servers take turns on one person's messages through a ticket lock in Redis.
Rasa 3.6's `RedisLockStore` reads the lock, changes it in Python and writes it back. Two
servers given messages from the same person at the same moment can both read "no tickets",
both take ticket 0 and both go ahead, so the person's two messages are handled at once. It
also costs seven round trips to Redis a message.

Here taking a ticket and giving it back are each one Lua script, run by Redis as one step:
the same lock, in the same JSON, so Rasa's own code reads it as before. A message waiting
for the person's previous one looks again every 0.1 s instead of every second.

endpoints.yml names this class when `SAYSO_LOCK_STORE` says so (the scaled mode, deploy/).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

#: How often a message waiting for the same person's previous message looks again.
WAIT_SECONDS = 0.1

#: Tickets in a lock that have not expired by ARGV[1] (seconds since the epoch), as they are
#: stored: each one a JSON string inside the lock's JSON list.
_LIVE_TICKETS = """
local function live_tickets(stored, now, except_number)
  local kept = {}
  if stored then
    for _, item in ipairs(cjson.decode(stored)['tickets']) do
      local ticket = cjson.decode(item)
      if ticket['expires'] >= now and ticket['number'] ~= except_number then
        table.insert(kept, item)
      end
    end
  end
  return kept
end
local function lock_json(conversation_id, tickets)
  local items = {}
  for index, item in ipairs(tickets) do items[index] = cjson.encode(item) end
  return '{"conversation_id": ' .. cjson.encode(conversation_id) ..
    ', "tickets": [' .. table.concat(items, ', ') .. ']}'
end
"""

#: KEYS[1] the lock; ARGV: now, lifetime, conversation id. Returns the new ticket's number.
ISSUE_TICKET = (
    _LIVE_TICKETS
    + """
local now, lifetime = tonumber(ARGV[1]), tonumber(ARGV[2])
local kept = live_tickets(redis.call('GET', KEYS[1]), now, nil)
local number = 0
if #kept > 0 then number = cjson.decode(kept[#kept])['number'] + 1 end
table.insert(kept, cjson.encode({number = number, expires = now + lifetime}))
redis.call('SET', KEYS[1], lock_json(ARGV[3], kept))
return number
"""
)

#: KEYS[1] the lock; ARGV: now, ticket to drop (-1: none), conversation id, 1 to delete the
#: lock once no ticket is left. Drops expired tickets too; returns how many tickets are left.
DROP_TICKET = (
    _LIVE_TICKETS
    + """
local now, number = tonumber(ARGV[1]), tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
local kept = live_tickets(stored, now, number)
if #kept == 0 and ARGV[4] == '1' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], lock_json(ARGV[3], kept))
end
return #kept
"""
)


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose tickets are taken and given back in one step each."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Rasa makes a lock store named by its module path from the endpoint's settings."""
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._issue = self.red.register_script(ISSUE_TICKET)
        self._drop = self.red.register_script(DROP_TICKET)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            arguments = [time.time(), lock_lifetime, conversation_id]
            return int(self._issue(keys=[self.key_prefix + conversation_id], args=arguments))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, keeping the lock (Rasa's waiting loop looks for it)."""
        self._drop(
            keys=[self.key_prefix + conversation_id], args=[time.time(), -1, conversation_id, 0]
        )

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; delete the lock if no one else holds a ticket."""
        self._drop(
            keys=[self.key_prefix + conversation_id],
            args=[time.time(), ticket_number, conversation_id, 1],
        )

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
            yield held
