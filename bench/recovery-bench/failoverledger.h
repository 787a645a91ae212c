// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// What FailoverProbe's clients were told, checked against issue #16's
// promises for a failover: every `message` id names one text across all
// clients (else an id was reused), each client sees ids strictly increase
// (else a delivery was reordered or repeated), and every post the server
// accepted (echoed to its poster) reaches every listener (else it was lost).
// Texts are unique per post, so a text identifies the post it came from.
class FailoverLedger
{
public:
    struct ClientFigures {
        int received = 0;
        int reordered = 0;  // an id below the highest this client had seen
        int duplicates = 0; // the same id and text again
        int lost = 0;       // accepted posts this listener never got
    };

    struct Figures {
        int accepted = 0;
        int reusedIds = 0;           // ids seen with two or more texts
        int reordered = 0;           // over all clients
        int duplicates = 0;          // over all clients
        int lostPairs = 0;           // (accepted post, listener) never delivered
        int lostMessages = 0;        // accepted posts missing at one listener or more
        int refusedButDelivered = 0; // refused posts that reached a client anyway
        std::vector<ClientFigures> listeners;
        std::string firstReuse; // "id N: text A / text B", for the report
        std::string firstReorder;
    };

    // `clients` in all; those with isListener are the ones `lost` counts.
    explicit FailoverLedger(std::vector<bool> isListener);

    void accepted(std::int64_t id, std::string_view text);
    void refused(std::string_view text);
    void received(int client, std::int64_t id, std::string_view text);
    Figures figures() const;

private:
    struct Client {
        bool isListener = false;
        std::int64_t highestId = -1;
        std::set<std::int64_t> ids;
        int reordered = 0;
        int duplicates = 0;
    };

    void noteText(std::int64_t id, std::string_view text);

    std::vector<Client> m_clients;
    std::map<std::int64_t, std::string> m_textOf; // the first text seen per id
    std::map<std::int64_t, std::set<std::string>> m_reused;
    std::set<std::int64_t> m_accepted;
    std::set<std::string> m_refusedTexts;
    std::set<std::string> m_deliveredTexts;
    std::string m_firstReorder;
};
