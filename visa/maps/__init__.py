"""Maps: folium builds the Leaflet maps; every asset is served by the app itself."""
