/*
 * Smart Industry Advisor: starts Web Chat on this page. Asks the server which Direct Line to use
 * (the bot's own, or Azure's), gets a conversation token, and renders Web Chat in the page's
 * language with the advisor's look. No inline script: the page works under a strict CSP.
 */
(function () {
  'use strict';

  var main = document.getElementById('chat');
  var status = document.getElementById('chat-status');
  var host = document.getElementById('webchat');
  var lang = document.documentElement.lang === 'en' ? 'en' : 'nl';

  function showProblem() {
    status.textContent = main.getAttribute('data-unavailable');
    status.classList.add('is-error');
    status.hidden = false;
  }

  function request(url, options) {
    return fetch(url, options).then(function (res) {
      if (!res.ok) throw new Error(url + ' answered ' + res.status);
      return res.json();
    });
  }

  function start() {
    if (!window.WebChat) throw new Error('Web Chat did not load');
    return request('api/webchat/config?lang=' + lang, { headers: { Accept: 'application/json' } }).then(function (config) {
      return request(config.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ locale: config.locale }),
      }).then(function (grant) {
        var directLine = window.WebChat.createDirectLine({
          domain: new URL(config.domain, window.location.href).href.replace(/\/$/, ''),
          token: grant.token,
          webSocket: config.webSocket,
          conversationStartProperties: { locale: config.locale },
        });
        window.WebChat.renderWebChat(
          {
            directLine: directLine,
            locale: config.locale,
            styleOptions: config.styleOptions,
            overrideLocalizedStrings: config.strings,
          },
          host,
        );
        status.hidden = true;
        main.setAttribute('aria-busy', 'false');
      });
    });
  }

  main.setAttribute('aria-busy', 'true');
  try {
    start().catch(showProblem);
  } catch (e) {
    showProblem();
  }
})();
