// geoevents' map page: draws the events (or places) embedded in the page on the embedded country
// outlines with Leaflet, offline. Every value of the data goes on screen as text (textContent),
// never as markup.
(function () {
  'use strict';

  // Above this many points the map draws on a canvas, which stays fast where SVG would not.
  var CANVAS_FROM = 2000;
  // The most events or mentions one popup lists.
  var POPUP_MOST = 50;
  var DAY_MS = 86400000;
  // The colour of what has none of its own.
  var OTHER = '#888888';

  var errorBox = document.getElementById('page-errors');
  function showError(message) {
    errorBox.hidden = false;
    errorBox.textContent = 'The map could not be drawn in full: ' + message;
  }
  window.addEventListener('error', function (e) {
    showError(String(e.message));
  });

  function embedded(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function setText(id, value) {
    var e = document.getElementById(id);
    if (e) e.textContent = String(value);
  }

  // A value worth showing as text, or null.
  function text(v) {
    return v === null || v === undefined || v === '' ? null : String(v);
  }

  // Rows of label and value; rows whose value is null are left out.
  function details(rows) {
    var dl = el('dl');
    rows.forEach(function (row) {
      if (row[1] === null) return;
      dl.appendChild(el('dt', null, row[0]));
      dl.appendChild(el('dd', null, row[1]));
    });
    return dl;
  }

  // The first POPUP_MOST items into `div`, each as `render` makes it, then how many more.
  function upTo(div, items, render) {
    items.slice(0, POPUP_MOST).forEach(function (item) { div.appendChild(render(item)); });
    if (items.length > POPUP_MOST) {
      div.appendChild(el('div', 'more', 'and ' + (items.length - POPUP_MOST) + ' more'));
    }
  }

  function swatch(colour) {
    var s = el('span', 'swatch');
    s.style.background = colour;
    return s;
  }

  // A Feature's point, or null when it has none that a map can show.
  function point(f) {
    var g = f && f.geometry;
    var c = g && g.type === 'Point' && g.coordinates;
    if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') return null;
    if (!isFinite(c[0]) || !isFinite(c[1]) || Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) {
      return null;
    }
    return L.latLng(c[1], c[0]);
  }

  function propertiesOf(f) {
    var p = f && f.properties;
    return p && typeof p === 'object' ? p : {};
  }

  // The features that have a point, as {at, p}; and how many have none.
  function located(features) {
    var found = { items: [], skipped: 0 };
    features.forEach(function (f) {
      var at = point(f);
      if (at) found.items.push({ at: at, p: propertiesOf(f) });
      else found.skipped++;
    });
    return found;
  }

  function placeKey(at) {
    return at.lat.toFixed(6) + ',' + at.lng.toFixed(6);
  }

  // TopoJSON (https://github.com/topojson/topojson-specification) to GeoJSON: the arcs are
  // delta-decoded and scaled by the transform, then joined into the rings of each polygon (an arc
  // index ~i is arc i reversed; each arc after a ring's first repeats the point it starts at).
  function topologyFeatures(topology, name) {
    var t = topology.transform;
    var arcs = topology.arcs.map(function (arc) {
      var x = 0;
      var y = 0;
      return arc.map(function (p) {
        if (!t) return [p[0], p[1]];
        x += p[0];
        y += p[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
    // A ring that crosses the antimeridian (Russia's, Fiji's) goes on past 180° instead of
    // jumping across the map; the edge along the pole (Antarctica's) stays as it is.
    function ring(indices) {
      var points = [];
      indices.forEach(function (i, k) {
        var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
        points.push.apply(points, k > 0 ? a.slice(1) : a);
      });
      var shift = 0;
      return points.map(function (p, k) {
        var before = points[k - 1];
        if (before && Math.abs(p[1]) < 89 && Math.abs(before[1]) < 89) {
          if (p[0] - before[0] > 180) shift -= 360;
          else if (before[0] - p[0] > 180) shift += 360;
        }
        return [p[0] + shift, p[1]];
      });
    }
    function polygon(rings) {
      return rings.map(ring);
    }
    var out = [];
    function add(g) {
      if (!g) return;
      if (g.type === 'GeometryCollection') {
        g.geometries.forEach(add);
      } else if (g.type === 'Polygon') {
        out.push({ type: 'Feature', properties: g.properties || {},
          geometry: { type: 'Polygon', coordinates: polygon(g.arcs) } });
      } else if (g.type === 'MultiPolygon') {
        out.push({ type: 'Feature', properties: g.properties || {},
          geometry: { type: 'MultiPolygon', coordinates: g.arcs.map(polygon) } });
      }
    }
    add(topology.objects[name]);
    return { type: 'FeatureCollection', features: out };
  }

  // The closest a fit goes: the outlines are 1:110m, and a region around the points says more.
  var FIT_ZOOM = 7;

  function fit(map, points) {
    if (points.length === 0) {
      map.setView([30, 15], 2);
      return;
    }
    var bounds = L.latLngBounds(points);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), FIT_ZOOM);
    } else {
      // Room on the right for the legend, where the map is wide enough to spare it.
      var right = Math.min(230, map.getSize().x / 3);
      map.fitBounds(bounds, { paddingTopLeft: [30, 30], paddingBottomRight: [right, 30],
        maxZoom: FIT_ZOOM });
    }
  }

  // A box in a corner of the map.
  function box(map, position, fill) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = el('div', 'legend');
      fill(div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    return control;
  }

  function reportSkipped(skipped, what) {
    var s = document.getElementById('skipped');
    s.hidden = skipped === 0;
    s.textContent = skipped === 0 ? '' : skipped + ' ' + what + ' without a valid point not drawn';
  }

  // Points on a canvas when there are many, where SVG would be slow; else the map's renderer.
  function rendererFor(n) {
    return n > CANVAS_FROM ? L.canvas() : undefined;
  }

  // ---- Events ----

  // Days since 1970-01-01 for a YYYY-MM-DD date, or null.
  function dayOf(s) {
    var m = typeof s === 'string' && /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return null;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    if (!isFinite(t)) return null;
    var day = Math.round(t / DAY_MS);
    // Not a day that is (2023-02-30): undated rather than another day.
    return dayText(day) === s ? day : null;
  }

  function dayText(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  // ACLED's geo_precision, in words.
  var PRECISION = {
    1: 'the named place',
    2: 'near it or part of it',
    3: 'a region or country'
  };

  function actorsText(p) {
    function side(actor, assoc) {
      if (!text(actor)) return null;
      return text(assoc) ? actor + ' (with ' + assoc + ')' : String(actor);
    }
    var sides = [side(p.actor1, p.assoc_actor_1), side(p.actor2, p.assoc_actor_2)];
    sides = sides.filter(function (s) { return s !== null; });
    return sides.length ? sides.join(' vs. ') : null;
  }

  function eventSection(p, colourOf) {
    var s = el('section');
    var h = el('h3');
    h.appendChild(swatch(colourOf(p.event_type)));
    var kind = text(p.event_type) || 'Event';
    if (text(p.sub_event_type)) kind += ': ' + p.sub_event_type;
    h.appendChild(document.createTextNode(kind));
    s.appendChild(h);
    var precision = text(p.geo_precision);
    if (precision !== null && PRECISION[p.geo_precision]) {
      precision += ' (' + PRECISION[p.geo_precision] + ')';
    }
    var where = [p.location, p.admin1, p.country].filter(text).join(', ');
    s.appendChild(details([
      ['Date', text(p.event_date) || 'undated'],
      ['Actors', actorsText(p)],
      ['Fatalities', text(p.fatalities) || 'not stated'],
      ['Location', where || null],
      ['Geo precision', precision],
      ['Source', text(p.source)]
    ]));
    if (text(p.notes)) s.appendChild(el('p', 'notes', p.notes));
    if (showInText && text(p.x_doc_id) !== null && typeof p.x_start === 'number') {
      var button = el('button', 'show-text', 'Show in the text');
      button.type = 'button';
      button.addEventListener('click', function () { showInText(p); });
      s.appendChild(button);
    }
    return s;
  }

  // Set by the live page: shows an event's mention in its document's text.
  var showInText = null;

  // Draws `features` as events; returns how many were drawn and a function that takes them (their
  // legend and the date range's listeners) off the map again.
  function drawEvents(map, config, features, fitTo) {
    var colours = {};
    config.types.forEach(function (t) { colours[t.name] = t.colour; });
    function colourOf(type) {
      return Object.prototype.hasOwnProperty.call(colours, type) ? colours[type] : OTHER;
    }
    var events = [];
    var here = {};
    var found = located(features);
    var renderer = rendererFor(found.items.length);
    found.items.forEach(function (item) {
      var at = item.at;
      var p = item.p;
      var type = typeof p.event_type === 'string' ? p.event_type : '';
      var key = placeKey(at);
      here[key] = here[key] || [];
      var e = { p: p, at: at, day: dayOf(p.event_date), shown: false, here: here[key],
        type: Object.prototype.hasOwnProperty.call(colours, type) ? type : null };
      here[key].push(e);
      e.marker = L.circleMarker(at, { radius: 6, weight: 1, color: config.outline, opacity: 1,
        fillColor: colourOf(type), fillOpacity: 0.9, renderer: renderer });
      e.marker.bindPopup(function () { return eventsPopup(e.here); }, { maxWidth: 380 });
      events.push(e);
    });
    setText('event-total', events.length);
    reportSkipped(found.skipped, found.skipped === 1 ? 'event' : 'events');

    // Every event shown at this point, by date.
    function eventsPopup(list) {
      var shown = list.filter(function (e) { return e.shown; });
      shown.sort(function (a, b) {
        return (a.day === null ? Infinity : a.day) - (b.day === null ? Infinity : b.day);
      });
      var div = el('div', 'popup');
      if (shown.length > 1) div.appendChild(el('h3', null, shown.length + ' events here'));
      upTo(div, shown, function (e) { return eventSection(e.p, colourOf); });
      return div;
    }

    if (fitTo !== false) fit(map, events.map(function (e) { return e.at; }));
    var layer = L.featureGroup().addTo(map);

    var counts = {};
    var hasOther = events.some(function (e) { return e.type === null; });
    var legend = box(map, 'topright', function (div) {
      div.appendChild(el('h2', null, 'Event type'));
      var rows = config.types.map(function (t) { return [t.name, t.colour]; });
      if (hasOther) rows.push(['other', OTHER]);
      rows.forEach(function (r) {
        var row = el('div');
        row.appendChild(swatch(r[1]));
        row.appendChild(document.createTextNode(r[0]));
        counts[r[0]] = row.appendChild(el('span', 'n', '0'));
        div.appendChild(row);
      });
      div.appendChild(el('div', 'note', 'as the QGIS style (.qml) colours them'));
    });

    var days = [];
    var undated = 0;
    events.forEach(function (e) {
      if (e.day === null) undated++;
      else days.push(e.day);
    });
    var first = days.reduce(function (a, b) { return Math.min(a, b); }, Infinity);
    var last = days.reduce(function (a, b) { return Math.max(a, b); }, -Infinity);
    var from = document.getElementById('date-from');
    var to = document.getElementById('date-to');
    var showUndated = document.getElementById('show-undated');
    document.getElementById('dates').hidden = days.length === 0;
    document.getElementById('undated').hidden = undated === 0;
    if (days.length > 0) {
      [from, to].forEach(function (input) {
        input.max = String(last);
        input.min = String(first);
        input.step = '1';
        input.disabled = first === last;
      });
      from.value = String(first);
      to.value = String(last);
    }
    setText('undated-count', undated);

    function update() {
      var a = +from.value;
      var b = +to.value;
      var withUndated = showUndated.checked;
      var n = 0;
      var perType = {};
      events.forEach(function (e) {
        var show = e.day === null ? withUndated : e.day >= a && e.day <= b;
        if (show !== e.shown) {
          if (show) layer.addLayer(e.marker);
          else layer.removeLayer(e.marker);
          e.shown = show;
        }
        if (show) {
          n++;
          var t = e.type === null ? 'other' : e.type;
          perType[t] = (perType[t] || 0) + 1;
        }
      });
      Object.keys(counts).forEach(function (t) { counts[t].textContent = String(perType[t] || 0); });
      setText('event-count', n);
      if (days.length > 0) {
        setText('date-from-text', dayText(a));
        setText('date-to-text', dayText(b));
      }
    }
    function fromMoved() {
      if (+from.value > +to.value) to.value = from.value;
      update();
    }
    function toMoved() {
      if (+to.value < +from.value) from.value = to.value;
      update();
    }
    from.addEventListener('input', fromMoved);
    to.addEventListener('input', toMoved);
    showUndated.addEventListener('change', update);
    update();
    return {
      count: events.length,
      remove: function () {
        from.removeEventListener('input', fromMoved);
        to.removeEventListener('input', toMoved);
        showUndated.removeEventListener('change', update);
        layer.remove();
        legend.remove();
      }
    };
  }

  // ---- Places ----

  // GeoNames feature classes, with their colours.
  var CLASSES = [
    ['P', 'cities, towns, villages', '#2c7bb6'],
    ['A', 'countries, regions', '#d7191c'],
    ['H', 'rivers, lakes, seas', '#41b6c4'],
    ['L', 'areas, parks', '#1a9641'],
    ['T', 'mountains, hills', '#a6611a'],
    ['S', 'sites, buildings', '#7b3294'],
    ['R', 'roads, railways', '#fdae61'],
    ['V', 'forests, heaths', '#66bd63'],
    ['U', 'undersea', '#08306b']
  ];

  // Draws `features` as places; returns how many were drawn and a function that takes them off
  // the map again. `fitTo` false leaves the view as it is.
  function drawPlaces(map, config, features, fitTo) {
    var colours = {};
    var names = {};
    CLASSES.forEach(function (c) {
      names[c[0]] = c[1];
      colours[c[0]] = c[2];
    });
    var groups = {};
    var places = [];
    var mentions = 0;
    var found = located(features);
    found.items.forEach(function (item) {
      var at = item.at;
      var p = item.p;
      var key = text(p.geonameid) !== null ? 'g' + p.geonameid : placeKey(at);
      var g = groups[key];
      if (!g) {
        g = groups[key] = { at: at, p: p, mentions: [] };
        places.push(g);
      }
      g.mentions.push(p);
      mentions++;
    });
    reportSkipped(found.skipped, found.skipped === 1 ? 'mention' : 'mentions');

    function classOf(p) {
      return Object.prototype.hasOwnProperty.call(colours, p.feature_class) ? p.feature_class : null;
    }

    function placePopup(g) {
      var p = g.p;
      var div = el('div', 'popup');
      var h = el('h3');
      h.appendChild(swatch(colours[classOf(p)] || OTHER));
      h.appendChild(document.createTextNode(text(p.name) || 'Place'));
      div.appendChild(h);
      var feature = [p.feature_class, p.feature_code].filter(text).join('.');
      div.appendChild(details([
        ['GeoNames id', text(p.geonameid)],
        ['Feature', feature || null],
        ['Region', text(p.admin1)],
        ['Country', text(p.country) || text(p.country_code)],
        ['Named', g.mentions.length === 1 ? 'once' : g.mentions.length + ' times']
      ]));
      var list = g.mentions.slice().sort(function (a, b) {
        return (typeof b.score === 'number' ? b.score : 0) - (typeof a.score === 'number' ? a.score : 0);
      });
      upTo(div, list, function (m) {
        var s = el('section');
        s.appendChild(details([
          ['Mention', text(m.mention)],
          ['Document', text(m.id)],
          ['Score', typeof m.score === 'number' ? m.score.toFixed(2) : text(m.score)]
        ]));
        return s;
      });
      return div;
    }

    if (fitTo !== false) fit(map, places.map(function (g) { return g.at; }));
    var layer = L.featureGroup().addTo(map);
    var renderer = rendererFor(places.length);
    var perClass = {};
    places.forEach(function (g) {
      var c = classOf(g.p);
      perClass[c === null ? 'other' : c] = (perClass[c === null ? 'other' : c] || 0) + 1;
      // Beside events (the live page), places are smaller and paler, and lie beneath them.
      var beside = config.kind === 'live';
      var marker = L.circleMarker(g.at, {
        radius: Math.min(beside ? 9 : 14, (beside ? 3 : 5) + 2 * Math.sqrt(g.mentions.length - 1)),
        weight: 1, color: config.outline, opacity: beside ? 0.6 : 1,
        fillColor: colours[c] || OTHER, fillOpacity: beside ? 0.45 : 0.85, renderer: renderer
      });
      marker.bindPopup(function () { return placePopup(g); }, { maxWidth: 380 });
      layer.addLayer(marker);
    });
    if (config.kind === 'live') layer.bringToBack();
    var legend = box(map, 'topright', function (div) {
      div.appendChild(el('h2', null, 'GeoNames feature class'));
      var rows = CLASSES.filter(function (c) { return perClass[c[0]]; });
      if (perClass.other) rows.push(['other', 'other', OTHER]);
      rows.forEach(function (c) {
        var row = el('div');
        row.appendChild(swatch(c[2]));
        row.appendChild(document.createTextNode(c[0] + ' ' + c[1]));
        row.appendChild(el('span', 'n', perClass[c[0]]));
        div.appendChild(row);
      });
      div.appendChild(el('div', 'note', 'larger: named more often'));
    });
    setText('place-count', places.length);
    setText('mention-count', mentions);
    return {
      count: places.length,
      remove: function () {
        layer.remove();
        legend.remove();
      }
    };
  }

  // ---- Live (`geoevents serve`) ----

  // The page `geoevents serve` gives at `/`: a report pasted, dropped or chosen as a file goes to
  // the server's /map and /places (same origin; nothing else is fetched), and its events and
  // places are drawn. A link `/#text=...&date=YYYY-MM-DD&country=UA` opens with that report
  // mapped.
  function live(map, config) {
    var form = document.getElementById('report-form');
    var area = document.getElementById('report');
    var dateInput = document.getElementById('report-date');
    var countryInput = document.getElementById('report-country');
    var fileInput = document.getElementById('report-file');
    var showPlaces = document.getElementById('show-places');
    var status = document.getElementById('status');
    var problems = document.getElementById('problems');
    var docTitle = document.getElementById('doc-title');
    var docText = document.getElementById('doc-text');
    // Each document's text by its id, for "Show in the text".
    var texts = {};
    var drawings = [];
    var placeDrawing = null;
    var placeFeatures = [];
    var running = 0;

    showInText = function (p) {
      var t = texts[p.x_doc_id];
      if (typeof t !== 'string') return;
      // Offsets count Unicode characters, as Array.from splits a string.
      var chars = Array.from(t);
      var start = Math.max(0, Math.min(p.x_start, chars.length));
      var end = Math.max(start, Math.min(p.x_end, chars.length));
      docTitle.hidden = false;
      docTitle.textContent = 'Document ' + p.x_doc_id;
      docText.hidden = false;
      docText.textContent = '';
      docText.appendChild(document.createTextNode(chars.slice(0, start).join('')));
      var mark = docText.appendChild(el('mark', null, chars.slice(start, end).join('')));
      docText.appendChild(document.createTextNode(chars.slice(end).join('')));
      mark.scrollIntoView({ block: 'center' });
    };

    // JSON Lines when the first thing in the text is `{`, as the command line reads standard
    // input; each line's id is its own, else `-:LINE`. A plain text is the document `-`.
    function isJsonLines(body) {
      return /^\s*\{/.test(body);
    }
    function textsOf(body) {
      var out = {};
      if (!isJsonLines(body)) {
        out['-'] = body;
        return out;
      }
      body.split('\n').forEach(function (line, i) {
        var o = null;
        try { o = JSON.parse(line); } catch (e) { return; }
        if (!o || typeof o.text !== 'string') return;
        out[o.id === undefined || o.id === null ? '-:' + (i + 1) : String(o.id)] = o.text;
      });
      return out;
    }

    function problemList(response) {
      var h = response.headers.get('x-geoevents-errors');
      if (!h) return [];
      try { return JSON.parse(h); } catch (e) { return []; }
    }

    function post(path, body) {
      var type = isJsonLines(body) ? 'application/x-ndjson' : 'text/plain; charset=utf-8';
      return fetch(path, { method: 'POST', headers: { 'Content-Type': type }, body: body })
        .then(function (r) {
          return r.text().then(function (t) {
            if (!r.ok) {
              var message = t;
              try { message = JSON.parse(t).error; } catch (e) { /* not JSON: as it is */ }
              throw new Error('the server answered ' + r.status + ': ' + message);
            }
            return { body: t, problems: problemList(r) };
          });
        });
    }

    function placesOf(jsonl) {
      var out = [];
      jsonl.split('\n').forEach(function (line) {
        if (!line) return;
        var d = JSON.parse(line);
        (d.places || []).forEach(function (p) {
          out.push({ type: 'Feature',
            geometry: { type: 'Point', coordinates: [p.longitude, p.latitude] },
            properties: Object.assign({ id: d.id }, p) });
        });
      });
      return out;
    }

    function clear() {
      drawings.forEach(function (d) { d.remove(); });
      drawings = [];
      if (placeDrawing) placeDrawing.remove();
      placeDrawing = null;
    }

    function drawPlaceLayer(fitTo) {
      if (placeDrawing) placeDrawing.remove();
      placeDrawing = null;
      document.getElementById('place-info').hidden = !showPlaces.checked;
      if (showPlaces.checked) placeDrawing = drawPlaces(map, config, placeFeatures, fitTo);
    }

    function showProblems(list) {
      problems.hidden = list.length === 0;
      problems.textContent = '';
      list.forEach(function (p) {
        var where = p.line !== undefined && p.line !== null ? 'line ' + p.line
          : p.id !== undefined ? 'document ' + p.id : null;
        var text = p.more !== undefined ? 'and ' + p.more + ' more'
          : (where ? where + ': ' : '') + p.error;
        problems.appendChild(el('div', null, text));
      });
    }

    function run() {
      var body = area.value;
      var query = ['format=geojson'];
      if (dateInput.value) query.push('date=' + encodeURIComponent(dateInput.value));
      var country = countryInput.value.trim();
      if (country) query.push('country=' + encodeURIComponent(country));
      var placesQuery = country ? '?country=' + encodeURIComponent(country) : '';
      var started = Date.now();
      var mine = ++running;
      status.textContent = 'Reading the report…';
      Promise.all([post('map?' + query.join('&'), body), post('places' + placesQuery, body)])
        .then(function (answers) {
          if (mine !== running) return;
          var events = JSON.parse(answers[0].body).features || [];
          placeFeatures = placesOf(answers[1].body);
          texts = textsOf(body);
          clear();
          docTitle.hidden = true;
          docText.hidden = true;
          var drawn = drawEvents(map, config, events, events.length > 0);
          drawings.push(drawn);
          drawPlaceLayer(events.length === 0);
          if (drawn.count === 0) {
            drawings.push({ remove: box(map, 'bottomleft', function (div) {
              div.textContent = 'No events to show.';
            }).remove });
          }
          showProblems(answers[0].problems);
          status.textContent = events.length + (events.length === 1 ? ' event, ' : ' events, ') +
            placeFeatures.length + (placeFeatures.length === 1 ? ' place named' : ' places named') +
            ' (' + ((Date.now() - started) / 1000).toFixed(2) + ' s)';
        })
        .catch(function (e) {
          if (mine !== running) return;
          status.textContent = '';
          showProblems([{ error: e.message }]);
        });
    }

    function load(file) {
      if (!file) return;
      file.text().then(function (t) {
        area.value = t;
        run();
      }, function (e) { showProblems([{ error: 'cannot read ' + file.name + ': ' + e }]); });
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      run();
    });
    area.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });
    fileInput.addEventListener('change', function () { load(fileInput.files[0]); });
    ['dragover', 'drop'].forEach(function (name) {
      document.body.addEventListener(name, function (e) {
        e.preventDefault();
        if (name === 'drop' && e.dataTransfer && e.dataTransfer.files.length) {
          load(e.dataTransfer.files[0]);
        }
      });
    });
    showPlaces.addEventListener('change', function () { drawPlaceLayer(false); });
    fit(map, []);
    var given = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (given.get('date')) dateInput.value = given.get('date');
    if (given.get('country')) countryInput.value = given.get('country');
    if (given.get('text')) {
      area.value = given.get('text');
      run();
    }
  }

  try {
    var config = embedded('page-config');
    var features = embedded('page-data');
    if (!Array.isArray(features)) features = [];
    var map = L.map('map', {
      attributionControl: false,
      preferCanvas: features.length > CANVAS_FROM,
      zoomSnap: 0.25,
      // The observer below follows the map's box, the window's size with it.
      trackResize: false
    });
    L.control.attribution({ prefix: false })
      .addAttribution('Leaflet | country outlines: Natural Earth (public domain), world-atlas')
      .addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    // Leaflet would follow the window's size (late: it waits for the next frame, and 200 ms for
    // the outlines); the map's box also changes with the bar above it.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
    } else {
      window.addEventListener('resize', function () { map.invalidateSize(); });
    }
    L.geoJSON(topologyFeatures(embedded('world-data'), 'countries'), {
      interactive: false,
      style: { color: '#9b9b9b', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1 }
    }).addTo(map);
    if (config.kind === 'live') {
      live(map, config);
      return;
    }
    var drawn = config.kind === 'places'
      ? drawPlaces(map, config, features)
      : drawEvents(map, config, features);
    if (drawn.count === 0) {
      box(map, 'bottomleft', function (div) {
        div.textContent = config.kind === 'places' ? 'No places to show.' : 'No events to show.';
      });
    }
  } catch (e) {
    showError(e && e.message ? e.message : String(e));
    throw e;
  }
})();
