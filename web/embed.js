/*
 * Smart Industry Advisor – embed the chat on another website:
 *
 *   <script src="https://advisor.example.nl/embed.js" data-lang="nl" defer></script>
 *
 * Adds a round chat button at the bottom right that opens the advisor in a panel (an iframe of
 * the advisor's own page). The website's origin must be listed in the advisor's ALLOWED_ORIGINS.
 * data-lang="nl" or "en" chooses the language; without it the website's <html lang> decides.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__smartIndustryAdvisorEmbed) return;
  window.__smartIndustryAdvisorEmbed = true;

  var TEXT = __SIA_TEXT__;
  var lang = script.getAttribute('data-lang');
  if (lang !== 'nl' && lang !== 'en') {
    var pageLang = (document.documentElement.lang || '').toLowerCase();
    lang = pageLang.indexOf('en') === 0 ? 'en' : pageLang.indexOf('nl') === 0 ? 'nl' : '';
  }
  var text = TEXT[lang || 'nl'];
  var src = new URL('./', script.src);
  src.searchParams.set('embed', '1');
  if (lang) src.searchParams.set('lang', lang);

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'sia-chat-panel');
  button.setAttribute('aria-label', text.open);
  button.textContent = 'SI';
  Object.assign(button.style, {
    position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147483000',
    width: '60px', height: '60px', borderRadius: '50%', border: '3px solid #FFFFFF',
    background: '#00756A', color: '#FFFFFF', font: '700 18px system-ui, sans-serif',
    boxShadow: '0 4px 14px rgba(11, 37, 69, 0.35)', cursor: 'pointer',
  });

  var panel = document.createElement('iframe');
  panel.id = 'sia-chat-panel';
  panel.title = text.open;
  panel.hidden = true;
  Object.assign(panel.style, {
    position: 'fixed', right: '20px', bottom: '92px', zIndex: '2147483000',
    width: 'min(400px, calc(100vw - 40px))', height: 'min(640px, calc(100vh - 120px))',
    border: '1px solid #C9D4DF', borderRadius: '12px', background: '#FFFFFF',
    boxShadow: '0 8px 28px rgba(11, 37, 69, 0.3)',
  });

  button.addEventListener('click', function () {
    var open = panel.hidden;
    if (open && !panel.src) panel.src = src.href;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', open ? text.close : text.open);
    button.textContent = open ? '×' : 'SI';
  });

  document.body.appendChild(panel);
  document.body.appendChild(button);
})();
